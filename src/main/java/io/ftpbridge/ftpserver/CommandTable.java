package io.ftpbridge.ftpserver;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.ftpserver.command.Command;
import org.apache.ftpserver.command.CommandFactory;
import org.apache.ftpserver.command.CommandFactoryFactory;

/**
 * MINA's command factory with the commands that make ftpbridge conform to RFC 959, 2389, 2428
 * and 3659 registered in it, and three rules about looking commands up: the RFC 2428 checks
 * ({@link DataConnectionRules}) go in front of whatever PASV/EPSV/PORT/EPRT is registered; XCUP
 * (which MINA's parser turns into "CUP") is CDUP; and an unknown verb gets a 502 that names it
 * as sent. Names with '_' are SITE/OPTS sub-commands, asked for by SITE itself: those stay null.
 */
final class CommandTable implements CommandFactory {

    private static final Set<String> DATA_CONNECTION_SETUP = Set.of("PASV", "EPSV", "PORT", "EPRT");
    private static final Command UNKNOWN = new UnknownCommand();

    private final CommandFactory commands;
    private final Map<String, Command> guarded = new ConcurrentHashMap<>();

    CommandTable(CommandFactory commands) {
        this.commands = commands;
    }

    /** Registers the conformance commands, replacing MINA's. */
    static void register(CommandFactoryFactory commands, boolean tls) {
        commands.addCommand("DELE", new DeleteCommand(false));
        commands.addCommand("RMD", new DeleteCommand(true));
        commands.addCommand("MKD", new MakeDirectoryCommand());
        commands.addCommand("PWD", new PrintDirectoryCommand());
        commands.addCommand("RNFR", new RenameCommand(false));
        commands.addCommand("RNTO", new RenameCommand(true));
        commands.addCommand("STAT", new StatusCommand());
        commands.addCommand("MLST", new MlstCommand());
        commands.addCommand("MLSD", new MlsdCommand());
        commands.addCommand("OPTS", new OptsCommand());
        commands.addCommand("SIZE", new SizeCommand());
        commands.addCommand("MDTM", new ModificationTimeCommand(ModificationTimeCommand.Form.MDTM));
        commands.addCommand("MFMT", new ModificationTimeCommand(ModificationTimeCommand.Form.MFMT));
        commands.addCommand("SITE_UTIME", new ModificationTimeCommand(ModificationTimeCommand.Form.SITE_UTIME));
        commands.addCommand("TYPE", new TypeCommand());
        commands.addCommand("MODE", new ModeCommand());
        commands.addCommand("ALLO", new AlloCommand());
        commands.addCommand("HELP", new HelpCommand(tls));
        // MINA's LANG translated only its own stock replies; not offered in FEAT, so not answered either
        commands.addCommand("LANG", UNKNOWN);
    }

    @Override
    public Command getCommand(String name) {
        String verb = name.equals("CUP") ? "CDUP" : name;
        Command command = commands.getCommand(verb);
        if (command != null && DATA_CONNECTION_SETUP.contains(verb)) {
            return guarded.computeIfAbsent(verb, v -> new DataConnectionRules(v, command));
        }
        if (command == null && verb.indexOf('_') < 0) {
            return UNKNOWN;
        }
        return command;
    }
}
