package io.ftpbridge.remotes;

import java.util.function.Consumer;
import org.apache.commons.net.ProtocolCommandEvent;
import org.apache.commons.net.ProtocolCommandListener;

/**
 * Turns a control connection into lines {@code > EPSV} / {@code < 229 Entering Extended Passive
 * Mode (|||30001|)}, one per command or reply line, with the password shown as {@code PASS ****}.
 */
public final class ControlTranscript implements ProtocolCommandListener {

    private final Consumer<String> lines;

    public ControlTranscript(Consumer<String> lines) {
        this.lines = lines;
    }

    @Override
    public void protocolCommandSent(ProtocolCommandEvent event) {
        String command = event.getCommand();
        String line = "PASS".equalsIgnoreCase(command) ? "PASS ****" : event.getMessage().stripTrailing();
        lines.accept("> " + line);
    }

    @Override
    public void protocolReplyReceived(ProtocolCommandEvent event) {
        event.getMessage().lines().forEach(line -> lines.accept("< " + line));
    }
}
