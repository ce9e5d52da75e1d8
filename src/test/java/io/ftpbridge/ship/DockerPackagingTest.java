package io.ftpbridge.ship;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * No Docker engine runs here, so the image cannot be built in the tests: this holds the Dockerfile
 * and the compose file to the promises the README makes about them (ports, user, volume, config).
 */
class DockerPackagingTest {

    private static final Path DOCKERFILE = Path.of("docker", "Dockerfile");
    private static final Path COMPOSE = Path.of("docker", "compose.yaml");

    @Test
    void imageRunsAsNonRootWithTheDataDirAsAVolume() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        assertThat(instructions(dockerfile, "FROM")).hasSize(2).last().asString().startsWith("eclipse-temurin:17-jre");
        assertThat(instructions(dockerfile, "USER")).containsExactly("10001:10001");
        assertThat(instructions(dockerfile, "VOLUME")).containsExactly("[\"/data\"]");
        assertThat(env(dockerfile, "FTPBRIDGE_DATA_DIR")).isEqualTo("/data");
        assertThat(instructions(dockerfile, "ENTRYPOINT")).singleElement().asString().startsWith("[\"java\"");
    }

    @Test
    void imageExposesHttpFtpAndExactlyThePassiveRangeItConfigures() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        String passive = env(dockerfile, "FTPBRIDGE_FTP_PASSIVE_PORTS");
        assertThat(instructions(dockerfile, "EXPOSE")).singleElement().asString()
                .isEqualTo(env(dockerfile, "SERVER_PORT") + " " + env(dockerfile, "FTPBRIDGE_FTP_PORT") + " " + passive);
        assertThat(passive).isEqualTo("30000-30009");
    }

    @Test
    @SuppressWarnings("unchecked")
    void composePublishesThePassivePortsUnchangedAndUsesPostgresql() throws IOException {
        String passive = env(Files.readString(DOCKERFILE), "FTPBRIDGE_FTP_PASSIVE_PORTS");
        Map<String, Object> compose = new Yaml().load(Files.readString(COMPOSE));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        Map<String, Object> ftpbridge = (Map<String, Object>) services.get("ftpbridge");
        assertThat((List<String>) ftpbridge.get("ports")).contains("8080:8080", "2121:2121", passive + ":" + passive);
        Map<String, Object> environment = (Map<String, Object>) ftpbridge.get("environment");
        assertThat((String) environment.get("SPRING_DATASOURCE_URL")).startsWith("jdbc:postgresql://postgres:5432/");
        assertThat(environment).containsKey("FTPBRIDGE_FTP_PASSIVE_EXTERNAL_ADDRESS");
        assertThat(services).containsKey("postgres");
        assertThat((Map<String, Object>) ((Map<String, Object>) ftpbridge.get("depends_on")).get("postgres"))
                .containsEntry("condition", "service_healthy");
        assertThat((Map<String, Object>) ftpbridge.get("build")).containsEntry("dockerfile", "docker/Dockerfile");
    }

    /** Arguments of each instruction of a kind, continuation lines joined. */
    private static List<String> instructions(String dockerfile, String kind) {
        return Pattern.compile("^" + kind + "\\s+((?:[^\\n]*\\\\\\n)*[^\\n]*)$", Pattern.MULTILINE).matcher(dockerfile)
                .results().map(m -> m.group(1).replaceAll("\\\\\\n\\s*", " ").trim()).toList();
    }

    private static String env(String dockerfile, String name) {
        String envs = String.join(" ", instructions(dockerfile, "ENV"));
        Matcher matcher = Pattern.compile("(?:^|\\s)" + name + "=(\"[^\"]*\"|\\S+)").matcher(envs);
        assertThat(matcher.find()).as("ENV %s in %s", name, DOCKERFILE).isTrue();
        return matcher.group(1).replace("\"", "");
    }
}
