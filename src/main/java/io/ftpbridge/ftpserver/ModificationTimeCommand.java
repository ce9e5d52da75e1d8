package io.ftpbridge.ftpserver;

import io.ftpbridge.storage.FileEntry;
import io.ftpbridge.storage.Access;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reading and setting modification times, so that mirrors keep them: {@code MDTM path} (RFC 3659
 * §3), {@code MFMT time path} (draft-somers-ftp-mfxx), {@code MDTM time path}, and both forms of
 * {@code SITE UTIME}: {@code SITE UTIME path atime mtime ctime UTC} and {@code SITE UTIME time path}.
 * All times are UTC; reading one needs READ or LIST, setting one WRITE, which storage checks.
 */
final class ModificationTimeCommand extends StorageCommand {

    enum Form { MDTM, MFMT, SITE_UTIME }

    private static final Logger log = LoggerFactory.getLogger(ModificationTimeCommand.class);
    private static final Pattern TIME = Pattern.compile("(\\d{12}|\\d{14})(?:\\.(\\d{1,9}))?");
    /** {@code path atime mtime ctime UTC}; the path may hold spaces. */
    private static final Pattern SITE_UTIME_TIMES = Pattern.compile(
            "(.+?) +(\\d{12,14}(?:\\.\\d+)?) +(\\d{12,14}(?:\\.\\d+)?) +(\\d{12,14}(?:\\.\\d+)?) +UTC",
            Pattern.CASE_INSENSITIVE);
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyyMMddHHmm");
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final Form form;

    ModificationTimeCommand(Form form) {
        this.form = form;
    }

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request) throws IOException {
        session.resetState();
        String argument = request.hasArgument() ? request.getArgument().trim() : "";
        if (form == Form.SITE_UTIME) {
            argument = argument.length() > 5 ? argument.substring(5).trim() : ""; // drop "UTIME"
        }
        String[] words = argument.split(" +");
        switch (form) {
            case MDTM -> {
                if (words.length > 1 && time(words[0]) != null && fileSystem(session).statOrNull(pathOr(session, argument)) == null) {
                    set(session, time(words[0]), argument.substring(words[0].length()).trim(), FtpReply.REPLY_213_FILE_STATUS);
                } else {
                    get(session, argument);
                }
            }
            case MFMT -> {
                if (words.length < 2 || time(words[0]) == null) {
                    reply(session, FtpReply.REPLY_501_SYNTAX_ERROR_IN_PARAMETERS_OR_ARGUMENTS, "Usage: MFMT YYYYMMDDHHMMSS path");
                    return;
                }
                set(session, time(words[0]), argument.substring(words[0].length()).trim(), FtpReply.REPLY_213_FILE_STATUS);
            }
            case SITE_UTIME -> {
                Matcher separate = SITE_UTIME_TIMES.matcher(argument);
                if (separate.matches() && time(separate.group(3)) != null) {
                    set(session, time(separate.group(3)), separate.group(1), FtpReply.REPLY_200_COMMAND_OKAY);
                } else if (words.length >= 2 && time(words[0]) != null) {
                    set(session, time(words[0]), argument.substring(words[0].length()).trim(), FtpReply.REPLY_200_COMMAND_OKAY);
                } else {
                    reply(session, FtpReply.REPLY_501_SYNTAX_ERROR_IN_PARAMETERS_OR_ARGUMENTS,
                            "Usage: SITE UTIME path atime mtime ctime UTC, or SITE UTIME YYYYMMDDhhmm[ss] path");
                }
            }
        }
    }

    private void get(FtpIoSession session, String argument) {
        if (argument.isEmpty()) {
            reply(session, FtpReply.REPLY_501_SYNTAX_ERROR_IN_PARAMETERS_OR_ARGUMENTS, "MDTM needs a path.");
            return;
        }
        String path = pathOr(session, argument);
        if (!fileSystem(session).allows(path, Access.METADATA)) {
            reply(session, FtpReply.REPLY_550_REQUESTED_ACTION_NOT_TAKEN, path + ": Permission denied.");
            return;
        }
        try {
            FileEntry entry = fileSystem(session).stat(path);
            if (entry.type() == FileEntry.Type.DIRECTORY) {
                reply(session, FtpReply.REPLY_550_REQUESTED_ACTION_NOT_TAKEN, path + ": Not a plain file.");
                return;
            }
            reply(session, FtpReply.REPLY_213_FILE_STATUS, format(entry.modified()));
        } catch (IOException e) {
            session.write(failure(e, path));
        }
    }

    private void set(FtpIoSession session, Instant time, String argument, int okCode) {
        String path = pathOr(session, argument);
        String user = session.getUser().getName();
        try {
            fileSystem(session).setModified(path, time);
        } catch (IOException e) {
            log.info("FTP set time refused: user={} address={} path={} reason={}", user, ClientAddress.text(ClientAddress.inet(session)), path, e.toString());
            session.write(failure(e, path));
            return;
        }
        log.info("FTP set time: user={} address={} path={} modified={}", user, ClientAddress.text(ClientAddress.inet(session)), path, time);
        reply(session, okCode, "Modify=" + format(time) + "; " + path);
    }

    private static String pathOr(FtpIoSession session, String argument) {
        String path = pathOf(session, argument);
        return path == null ? argument : path;
    }

    private static String format(Instant time) {
        return MlstFacts.TIME.format(time);
    }

    /** A UTC time as YYYYMMDDhhmm, YYYYMMDDhhmmss or YYYYMMDDhhmmss.fff; null if it is none. */
    static Instant time(String text) {
        Matcher m = TIME.matcher(text);
        if (!m.matches()) {
            return null;
        }
        try {
            String digits = m.group(1);
            LocalDateTime local = LocalDateTime.parse(digits, digits.length() == 12 ? MINUTES : SECONDS);
            Instant instant = local.toInstant(ZoneOffset.UTC);
            if (m.group(2) != null) {
                instant = instant.plusNanos(Long.parseLong((m.group(2) + "00000000").substring(0, 9)));
            }
            return instant;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
