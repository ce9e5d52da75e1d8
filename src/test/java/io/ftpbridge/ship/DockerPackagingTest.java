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
 * Holds the Dockerfile and the compose file to the promises docker/README.md makes about them
 * (build arguments, ports, user, volume, config). {@link ContainerImageIT} builds and runs the image.
 */
class DockerPackagingTest {

    private static final Path DOCKERFILE = Path.of("docker", "Dockerfile");
    private static final Path COMPOSE = Path.of("docker", "compose.yaml");

    @Test
    void imageRunsAsNonRootWithTheDataDirAsAVolume() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        assertThat(instructions(dockerfile, "FROM")).last().isEqualTo("${RUNTIME_IMAGE}");
        assertThat(instructions(dockerfile, "USER")).containsExactly("10001:10001");
        assertThat(instructions(dockerfile, "VOLUME")).containsExactly("[\"/data\"]");
        assertThat(env(dockerfile, "FTPBRIDGE_DATA_DIR")).isEqualTo("/data");
        assertThat(instructions(dockerfile, "ENTRYPOINT")).singleElement().asString().startsWith("[\"java\"");
    }

    @Test
    void imageRunsOnAJavaRuntimeThatJlinkMadeFromTheBuildImagesJdk() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        assertThat(instructions(dockerfile, "FROM")).contains("${BUILD_IMAGE} AS jre");
        assertThat(instructions(dockerfile, "RUN")).anySatisfy(run -> assertThat(run)
                .contains("jlink --add-modules java.base,", "--output /jre", "/jre/bin/java -Xshare:dump"));
        assertThat(instructions(dockerfile, "COPY")).contains("--from=jre /jre /opt/java");
        assertThat(env(dockerfile, "JAVA_HOME")).isEqualTo("/opt/java");
        assertThat(env(dockerfile, "PATH")).startsWith("/opt/java/bin:");
    }

    @Test
    void baseImagesAndTheJarsOriginAreBuildArgumentsDefaultingToThePublicImagesAndASourceBuild() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        assertThat(instructions(dockerfile, "ARG"))
                .contains("BUILD_IMAGE=eclipse-temurin:17-jdk", "RUNTIME_IMAGE=debian:bookworm-slim", "JAR_FROM=source");
        assertThat(instructions(dockerfile, "FROM")).contains("${BUILD_IMAGE} AS jar-source", "jar-${JAR_FROM} AS jar")
                .anySatisfy(from -> assertThat(from).endsWith(" AS jar-host"));
        assertThat(instructions(dockerfile, "COPY")).contains("target/ftpbridge-*.jar /ftpbridge.jar");
        // the build context keeps out everything but the Maven project and the packaged jar
        assertThat(Files.readAllLines(Path.of("docker", "Dockerfile.dockerignore")))
                .contains("*", "!src/main/", "!target/ftpbridge-*.jar").doesNotContain("!src/test/", "!target/");
    }

    @Test
    void startupUsesTheClassDataArchiveTheTrainingRunWritesForTheSameClassPath() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        String entrypoint = instructions(dockerfile, "ENTRYPOINT").get(0);
        Matcher archive = Pattern.compile("-XX:SharedArchiveFile=(\\S+?)\"").matcher(entrypoint);
        assertThat(archive.find()).as(entrypoint).isTrue();
        Matcher jar = Pattern.compile("\"-jar\", \"(\\S+?)\"").matcher(entrypoint);
        assertThat(jar.find()).as(entrypoint).isTrue();
        assertThat(instructions(dockerfile, "RUN")).anySatisfy(run -> assertThat(run)
                .contains("cds-training.sh " + archive.group(1) + " " + jar.group(1)));
        // Spring AOT on for the training run and every start alike
        assertThat(env(dockerfile, "JDK_JAVA_OPTIONS")).isEqualTo("-Dspring.aot.enabled=true");
        assertThat(dockerfile.indexOf("ENV JDK_JAVA_OPTIONS")).isLessThan(dockerfile.indexOf("cds-training.sh"));
        assertThat(Files.readString(Path.of("docker", "cds-training.sh")))
                .contains("-XX:ArchiveClassesAtExit=\"$archive\"", "-jar \"$jar\"");
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
        assertThat(((List<String>) ftpbridge.get("ports")).stream().map(DockerPackagingTest::defaults))
                .contains("8080:8080", "2121:2121", passive + ":" + passive);
        Map<String, Object> environment = (Map<String, Object>) ftpbridge.get("environment");
        assertThat(defaults((String) environment.get("FTPBRIDGE_FTP_PASSIVE_PORTS"))).isEqualTo(passive);
        assertThat((String) environment.get("SPRING_DATASOURCE_URL")).startsWith("jdbc:postgresql://postgres:5432/");
        assertThat(environment).containsKey("FTPBRIDGE_FTP_PASSIVE_EXTERNAL_ADDRESS");
        assertThat(services).containsKey("postgres");
        assertThat((Map<String, Object>) ((Map<String, Object>) ftpbridge.get("depends_on")).get("postgres"))
                .containsEntry("condition", "service_healthy");
        assertThat((Map<String, Object>) ftpbridge.get("build")).containsEntry("dockerfile", "docker/Dockerfile");
    }

    /** A compose value with every {@code ${VAR:-default}} replaced by its default. */
    private static String defaults(String value) {
        return value.replaceAll("\\$\\{[A-Z_]+:-([^}]*)}", "$1");
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
