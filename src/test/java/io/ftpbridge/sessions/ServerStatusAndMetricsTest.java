package io.ftpbridge.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.ftpserver.FtpServerLifecycle;
import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.ExternalCommand;
import io.ftpbridge.testsupport.FtpBridgeTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The listener's facts over REST, the FTP listener in actuator health, and FTP counters in Prometheus. */
@FtpBridgeTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerStatusAndMetricsTest {

    @LocalServerPort
    int httpPort;

    @Autowired
    FtpServerLifecycle ftp;

    Api api;

    @BeforeAll
    void createAccount() {
        api = new Api(httpPort);
        api.createFolderAndUser("metricsfolder", "metrics-user", "metrics-password", "/", Api.ALL);
    }

    @Test
    void serverReportsListenerFactsAndVersion() {
        Api.Response response = api.get("/api/v1/server");
        assertThat(response.status()).isEqualTo(200);
        JsonNode listener = response.json().get("ftp");
        assertThat(listener.get("port").asInt()).isEqualTo(ftp.port()).isPositive();
        assertThat(listener.get("passivePorts").asString()).isEqualTo("31000-31099");
        assertThat(listener.get("passiveExternalAddress").isNull()).isTrue();
        assertThat(listener.get("tls").asString()).isEqualTo("NONE");
        assertThat(listener.get("sessions").asInt()).isEqualTo(ftp.sessions().size());
        assertThat(response.json().get("version").asString()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(api.anonymous().get("/api/v1/server").status()).isEqualTo(401);

        JsonNode paths = api.get("/v3/api-docs").json().get("paths");
        assertThat(paths.has("/api/v1/server")).isTrue();
        assertThat(paths.has("/api/v1/sessions")).isTrue();
        assertThat(paths.has("/api/v1/sessions/{id}")).isTrue();
    }

    @Test
    void healthIncludesTheFtpListenerAndTheDatabaseAndGoesDownWhenTheListenerStops() {
        // components are shown to administrator accounts; anonymous callers get the status only
        Api open = api;
        assertThat(api.anonymous().get("/actuator/health").json().has("components")).isFalse();
        JsonNode health = open.get("/actuator/health").json();
        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.get("components").get("ftp").get("status").asString()).isEqualTo("UP");
        assertThat(health.get("components").get("ftp").get("details").get("port").asInt()).isEqualTo(ftp.port());
        assertThat(health.get("components").get("db").get("status").asString()).isEqualTo("UP");

        ftp.stop();
        try {
            Api.Response down = open.get("/actuator/health");
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.json().get("components").get("ftp").get("status").asString()).isEqualTo("DOWN");
            assertThat(api.get("/api/v1/server").json().get("ftp").get("running").asBoolean()).isFalse();
        } finally {
            ftp.start();
        }
        assertThat(open.get("/actuator/health").json().get("components").get("ftp").get("status").asString()).isEqualTo("UP");
    }

    @Test
    void prometheusCountsLoginsBytesAndTransfersForAdministratorsOnly() throws Exception {
        assertThat(api.anonymous().get("/actuator/prometheus").status()).isEqualTo(401);
        String before = api.get("/actuator/prometheus").text();

        Path payload = Files.createTempFile("metrics-", ".bin");
        Files.write(payload, new byte[12_345]);
        String url = "ftp://127.0.0.1:" + ftp.port() + "/metrics.bin";
        assertThat(curl("metrics-user:metrics-password", "-T", payload.toString(), url).ok()).isTrue();
        assertThat(curl("metrics-user:metrics-password", "-o", "/dev/null", url).ok()).isTrue();
        assertThat(curl("metrics-user:wrong-password", "-o", "/dev/null", url).ok()).isFalse();

        String after = api.get("/actuator/prometheus").text();
        List<String[]> grown = List.of(
                new String[] {"ftpbridge_ftp_logins_total", "result=\"ok\"", "2"},
                new String[] {"ftpbridge_ftp_logins_total", "result=\"failed\"", "1"},
                new String[] {"ftpbridge_ftp_bytes_total", "direction=\"in\"", "12345"},
                new String[] {"ftpbridge_ftp_bytes_total", "direction=\"out\"", "12345"},
                new String[] {"ftpbridge_ftp_uploads_total", "", "1"},
                new String[] {"ftpbridge_ftp_downloads_total", "", "1"});
        for (String[] metric : grown) {
            assertThat(value(after, metric[0], metric[1]) - value(before, metric[0], metric[1]))
                    .as("growth of %s{%s}", metric[0], metric[1])
                    .isGreaterThanOrEqualTo(Double.parseDouble(metric[2]));
        }
        assertThat(value(after, "ftpbridge_ftp_sessions", "")).isGreaterThanOrEqualTo(0);
    }

    private static ExternalCommand.Result curl(String credentials, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "30", "--user", credentials));
        command.addAll(List.of(args));
        return ExternalCommand.run(command);
    }

    /** The sample of a metric whose labels contain {@code label}; fails when the metric is missing. */
    private static double value(String prometheus, String name, String label) {
        Pattern sample = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$", Pattern.MULTILINE);
        Matcher matcher = sample.matcher(prometheus);
        while (matcher.find()) {
            String labels = matcher.group(1) == null ? "" : matcher.group(1);
            if (labels.contains(label)) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        throw new AssertionError("no sample " + name + " with " + label + " in:\n"
                + prometheus.lines().filter(l -> l.startsWith("ftpbridge")).reduce("", (a, b) -> a + b + "\n"));
    }
}
