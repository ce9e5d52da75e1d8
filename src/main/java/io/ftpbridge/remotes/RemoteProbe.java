package io.ftpbridge.remotes;

import io.swagger.v3.oas.annotations.media.Schema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.net.ProtocolCommandEvent;
import org.apache.commons.net.ProtocolCommandListener;
import org.apache.commons.net.ftp.FTPClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** {@code POST /remotes/{name}/test}: a fresh connection (not pooled) that reports what the server says. */
@Service
public class RemoteProbe {

    private static final Logger log = LoggerFactory.getLogger(RemoteProbe.class);

    private final RemoteService remotes;
    private final RemoteConnector connector;

    public RemoteProbe(RemoteService remotes, RemoteConnector connector) {
        this.remotes = remotes;
        this.connector = connector;
    }

    /**
     * @param ok            connected and logged in
     * @param welcome       the server's greeting (220 reply)
     * @param system        the SYST reply
     * @param features      FEAT lines, one feature each
     * @param pwd           the login directory
     * @param millis        round-trip time of a NOOP on the logged-in connection
     * @param connectMillis time to connect and log in
     * @param error         why it failed, when {@code ok} is false
     */
    public record TestResult(boolean ok, @Schema(nullable = true) String welcome,
                             @Schema(nullable = true) String system, @Schema(nullable = true) List<String> features,
                             @Schema(nullable = true) String pwd, long millis, long connectMillis,
                             @Schema(nullable = true) String error) {
    }

    public TestResult test(String name) {
        RemoteSettings settings = remotes.connectionSettings(name);
        List<String> replies = new ArrayList<>();
        ProtocolCommandListener greeting = new ProtocolCommandListener() {
            @Override
            public void protocolCommandSent(ProtocolCommandEvent event) {
                // only replies matter here
            }

            @Override
            public void protocolReplyReceived(ProtocolCommandEvent event) {
                replies.add(event.getMessage().trim());
            }
        };
        long start = System.nanoTime();
        FTPClient client = null;
        try {
            client = connector.connect(settings, null, greeting);
            long connectMillis = millisSince(start);
            String welcome = replies.isEmpty() ? null : replies.get(0);
            String system = client.getSystemType();
            List<String> features = client.features()
                    ? Arrays.stream(client.getReplyStrings()).skip(1).filter(l -> l.startsWith(" ")).map(String::trim).toList()
                    : List.of();
            String pwd = client.printWorkingDirectory();
            long noopStart = System.nanoTime();
            client.sendNoOp();
            long rtt = millisSince(noopStart);
            log.info("Remote test ok: remote={} host={} port={} millis={} connectMillis={}", name, settings.host(),
                    settings.port(), rtt, connectMillis);
            return new TestResult(true, welcome, system, features, pwd, rtt, connectMillis, null);
        } catch (IOException e) {
            String error = RemoteClientPools.failure(name, e).getMessage();
            log.info("Remote test failed: remote={} host={} port={} error={}", name, settings.host(), settings.port(), error);
            return new TestResult(false, replies.isEmpty() ? null : replies.get(0), null, List.of(), null, 0,
                    millisSince(start), error);
        } finally {
            RemoteConnector.disconnectQuietly(client);
        }
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
