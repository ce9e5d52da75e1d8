package io.ftpbridge.ship;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.FtpBridgeTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.yaml.snakeyaml.Yaml;

/** The health URLs the Helm chart's probes and the image's HEALTHCHECK call answer UP, without credentials. */
@FtpBridgeTest
class ProbeEndpointsTest {

    @LocalServerPort
    int port;

    @Test
    @SuppressWarnings("unchecked")
    void chartProbesAndDockerHealthcheckHitOpenHealthEndpointsThatAreUp() throws IOException {
        Map<String, Object> values = new Yaml().load(Files.readString(Path.of("helm", "ftpbridge", "values.yaml")));
        List<String> paths = new ArrayList<>();
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            Map<String, Object> httpGet = (Map<String, Object>) ((Map<String, Object>) values.get(probe)).get("httpGet");
            paths.add((String) httpGet.get("path"));
        }
        // the HEALTHCHECK speaks HTTP itself over bash's /dev/tcp: the path is in its request line
        Matcher healthcheck = Pattern.compile("HEALTHCHECK[^\\n]*\\n\\s*CMD [^\\n]*/dev/tcp/127\\.0\\.0\\.1/\\$\\{SERVER_PORT}[^\\n]*GET (/\\S+) HTTP/1\\.[01]")
                .matcher(Files.readString(Path.of("docker", "Dockerfile")));
        assertThat(healthcheck.find()).as("docker/Dockerfile has a HEALTHCHECK on an HTTP path").isTrue();
        paths.add(healthcheck.group(1));
        assertThat(paths).contains("/actuator/health/liveness", "/actuator/health/readiness", "/actuator/health");

        Api anonymous = new Api(port).anonymous();
        for (String path : paths) {
            Api.Response response = anonymous.get(path);
            assertThat(response.status()).as("%s: %s", path, response.text()).isEqualTo(200);
            assertThat(response.json().path("status").asString()).as(path).isEqualTo("UP");
        }
    }
}
