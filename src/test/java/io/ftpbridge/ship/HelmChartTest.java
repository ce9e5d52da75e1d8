package io.ftpbridge.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** helm/ftpbridge lints and renders what an operator needs, with the bundled Helm (no cluster). */
class HelmChartTest {

    private static final Path CHART = Path.of("helm", "ftpbridge");
    private static final Path OPERATOR_VALUES = Path.of("src", "test", "resources", "helm", "postgresql-nodeport.yaml");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The objects of one {@code helm template}, by kind. */
    record Rendered(List<JsonNode> objects) {
        JsonNode one(String kind) {
            List<JsonNode> found = objects.stream().filter(o -> kind.equals(o.path("kind").asString())).toList();
            assertThat(found).as("rendered %s objects", kind).hasSize(1);
            return found.get(0);
        }

        boolean has(String kind) {
            return objects.stream().anyMatch(o -> kind.equals(o.path("kind").asString()));
        }

        JsonNode container() {
            return one("Deployment").path("spec").path("template").path("spec").path("containers").get(0);
        }

        JsonNode env(String name) {
            for (JsonNode env : container().path("env")) {
                if (name.equals(env.path("name").asString())) {
                    return env;
                }
            }
            return null;
        }

        /** The value the container gets in an environment variable, read from the Secret it refers to. */
        String secretValue(String envName) {
            JsonNode ref = env(envName).path("valueFrom").path("secretKeyRef");
            JsonNode secret = objects.stream()
                    .filter(o -> "Secret".equals(o.path("kind").asString())
                            && ref.path("name").asString().equals(o.path("metadata").path("name").asString()))
                    .findFirst().orElseThrow(() -> new AssertionError("no Secret " + ref + " rendered"));
            String encoded = secret.path("data").path(ref.path("key").asString()).asString();
            assertThat(encoded).as("Secret %s", ref).isNotBlank();
            return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        }
    }

    @Test
    void chartPassesHelmLintStrict() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void chartWithPostgresqlAndNodePortValuesPassesHelmLintStrict() throws IOException {
        // this helm-java lint takes no values file: lint a copy of the chart whose defaults carry the overrides
        Path copy = Path.of("target", "helm", "chart-postgresql-nodeport");
        FileSystemUtils.deleteRecursively(copy);
        FileSystemUtils.copyRecursively(CHART, copy);
        Yaml yaml = new Yaml();
        Map<String, Object> values = yaml.load(Files.readString(CHART.resolve("values.yaml")));
        deepMerge(values, yaml.load(Files.readString(OPERATOR_VALUES)));
        Files.writeString(copy.resolve("values.yaml"), yaml.dump(values));

        LintResult lint = new Helm(copy).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
        assertThat(JSON.valueToTree(yaml.load(Files.readString(copy.resolve("values.yaml")))).at("/service/type").asString())
                .isEqualTo("NodePort");
        assertThat(JSON.valueToTree(values).at("/postgresql/enabled").asBoolean()).isTrue();
    }

    @Test
    void defaultValuesExposeHttpFtpAndEveryPassivePort() {
        Rendered rendered = render("defaults", t -> t);
        List<Integer> passive = IntStream.rangeClosed(30000, 30009).boxed().toList();

        Map<String, Integer> containerPorts = byName(rendered.container().path("ports"), "containerPort");
        assertThat(containerPorts).containsEntry("http", 8080).containsEntry("ftp", 2121).hasSize(2 + passive.size());
        passive.forEach(p -> assertThat(containerPorts).containsEntry("pasv-" + p, p));

        JsonNode service = rendered.one("Service");
        assertThat(service.path("spec").path("type").asString()).isEqualTo("ClusterIP");
        Map<String, Integer> servicePorts = byName(service.path("spec").path("ports"), "port");
        assertThat(servicePorts).containsEntry("http", 8080).containsEntry("ftp", 2121).hasSize(2 + passive.size());
        for (JsonNode port : service.path("spec").path("ports")) {
            if (port.path("name").asString().startsWith("pasv-")) {
                assertThat(port.path("targetPort").asInt()).isEqualTo(port.path("port").asInt());
                assertThat(port.has("nodePort")).isFalse();
            }
        }
        assertThat(rendered.env("FTPBRIDGE_FTP_PASSIVE_PORTS").path("value").asString()).isEqualTo("30000-30009");
        assertThat(rendered.env("FTPBRIDGE_FTP_PASSIVE_EXTERNAL_ADDRESS")).isNull();
    }

    @Test
    void defaultValuesProbeActuatorAndRunAsNonRoot() {
        Rendered rendered = render("defaults", t -> t);
        JsonNode container = rendered.container();
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asString()).isEqualTo("/actuator/health/liveness");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asString()).isEqualTo("/actuator/health/readiness");
        assertThat(container.path("livenessProbe").path("httpGet").path("port").asString()).isEqualTo("http");
        assertThat(container.path("resources").path("limits").path("memory").asString()).isEqualTo("1Gi");
        assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.path("securityContext").path("allowPrivilegeEscalation").asBoolean()).isFalse();
        JsonNode pod = rendered.one("Deployment").path("spec").path("template").path("spec");
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("securityContext").path("runAsUser").asInt()).isEqualTo(10001);
    }

    @Test
    void defaultValuesLeaveSecretsToTheAppAndMountAVolumeAtTheDataDir() {
        Rendered rendered = render("defaults", t -> t);
        assertThat(rendered.has("Secret")).as("nothing to keep: the app generates the password and key on the volume").isFalse();
        assertThat(rendered.env("FTPBRIDGE_ADMIN_PASSWORD")).isNull();
        assertThat(rendered.env("FTPBRIDGE_SECRETS_KEY")).isNull();
        assertThat(rendered.env("FTPBRIDGE_ADMIN_USERNAME").path("value").asString()).isEqualTo("admin");

        JsonNode pvc = rendered.one("PersistentVolumeClaim");
        assertThat(pvc.path("spec").path("resources").path("requests").path("storage").asString()).isEqualTo("10Gi");
        JsonNode pod = rendered.one("Deployment").path("spec").path("template").path("spec");
        assertThat(pod.path("volumes").get(0).path("persistentVolumeClaim").path("claimName").asString())
                .isEqualTo(pvc.path("metadata").path("name").asString());
        assertThat(rendered.container().path("volumeMounts").get(0).path("mountPath").asString()).isEqualTo("/data");
        assertThat(rendered.env("FTPBRIDGE_DATA_DIR").path("value").asString()).isEqualTo("/data");
        assertThat(rendered.env("SPRING_DATASOURCE_URL")).as("H2 under the data dir by default").isNull();
    }

    @Test
    void postgresqlAndNodePortValuesWireTheDatabaseAndTheNodePorts() {
        Rendered rendered = render("postgresql-nodeport", t -> t.withValuesFile(OPERATOR_VALUES));

        assertThat(rendered.env("SPRING_DATASOURCE_URL").path("value").asString())
                .isEqualTo("jdbc:postgresql://db.example.internal:5432/ftpbridge?sslmode=require");
        assertThat(rendered.env("SPRING_DATASOURCE_USERNAME").path("value").asString()).isEqualTo("ftpbridge");
        assertThat(rendered.env("SPRING_DATASOURCE_PASSWORD").path("valueFrom").path("secretKeyRef").path("key").asString())
                .isEqualTo("postgresql-password");
        assertThat(rendered.secretValue("SPRING_DATASOURCE_PASSWORD")).isEqualTo("pg-secret");
        assertThat(rendered.secretValue("FTPBRIDGE_ADMIN_PASSWORD")).isEqualTo("operator-chosen-password");
        assertThat(rendered.secretValue("FTPBRIDGE_SECRETS_KEY")).isEqualTo("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
        assertThat(rendered.one("Secret").path("data").size()).isEqualTo(3);
        assertThat(rendered.env("FTPBRIDGE_FTP_PASSIVE_EXTERNAL_ADDRESS").path("value").asString()).isEqualTo("203.0.113.10");
        assertThat(rendered.env("FTPBRIDGE_FTP_PASSIVE_PORTS").path("value").asString()).isEqualTo("30100-30104");

        JsonNode spec = rendered.one("Service").path("spec");
        assertThat(spec.path("type").asString()).isEqualTo("NodePort");
        assertThat(spec.path("externalTrafficPolicy").asString()).isEqualTo("Local");
        Map<String, Integer> nodePorts = byName(spec.path("ports"), "nodePort");
        assertThat(nodePorts).containsEntry("http", 30080).containsEntry("ftp", 30021);
        IntStream.rangeClosed(30100, 30104).forEach(p -> assertThat(nodePorts).containsEntry("pasv-" + p, p));
        assertThat(byName(rendered.container().path("ports"), "containerPort")).hasSize(2 + 5)
                .containsEntry("pasv-30104", 30104);
        assertThat(rendered.one("PersistentVolumeClaim").path("spec").path("storageClassName").asString()).isEqualTo("fast");

        assertThat(rendered.env("FTPBRIDGE_FTP_TLS_MODE").path("value").asString()).isEqualTo("explicit");
        assertThat(rendered.container().path("volumeMounts").findValuesAsString("mountPath"))
                .containsExactly("/data", "/tmp", "/etc/ftpbridge/tls");
        assertThat(rendered.one("Deployment").path("spec").path("template").path("spec").path("volumes")
                .findValuesAsString("secretName")).containsExactly("ftpbridge-tls");
    }

    @Test
    void nodePortWithoutAnAddressAnnouncesTheNodeIpInPasvReplies() {
        Rendered rendered = render("nodeport-node-ip", t -> t.set("service.type", "NodePort"));
        assertThat(rendered.env("FTPBRIDGE_FTP_PASSIVE_EXTERNAL_ADDRESS").path("valueFrom").path("fieldRef")
                .path("fieldPath").asString()).isEqualTo("status.hostIP");
    }

    @Test
    void loadBalancerAddressIsThePassiveExternalAddress() {
        Rendered rendered = render("loadbalancer", t -> t.set("service.type", "LoadBalancer")
                .set("service.loadBalancerIP", "198.51.100.7"));
        JsonNode spec = rendered.one("Service").path("spec");
        assertThat(spec.path("type").asString()).isEqualTo("LoadBalancer");
        assertThat(spec.path("loadBalancerIP").asString()).isEqualTo("198.51.100.7");
        assertThat(spec.path("ports").findValues("nodePort")).as("Kubernetes picks node ports for a LoadBalancer").isEmpty();
        assertThat(rendered.env("FTPBRIDGE_FTP_PASSIVE_EXTERNAL_ADDRESS").path("value").asString()).isEqualTo("198.51.100.7");
    }

    @Test
    void valuesOutsideTheSchemaAreRefused() {
        assertThatThrownBy(() -> new Helm(CHART).template().withName("ftpbridge").set("service.type", "Ingress").call())
                .hasMessageContaining("service.type");
        assertThatThrownBy(() -> new Helm(CHART).template().withName("ftpbridge").set("ftp.passivePorts.end", 70000).call())
                .hasMessageContaining("passivePorts");
    }

    @Test
    void existingClaimAndExistingSecretAreUsedInsteadOfNewOnes() {
        Rendered rendered = render("existing", t -> t.set("persistence.existingClaim", "ftp-data")
                .set("existingSecret", "ftpbridge-credentials"));
        assertThat(rendered.has("PersistentVolumeClaim")).isFalse();
        assertThat(rendered.has("Secret")).isFalse();
        assertThat(rendered.one("Deployment").path("spec").path("template").path("spec").path("volumes").get(0)
                .path("persistentVolumeClaim").path("claimName").asString()).isEqualTo("ftp-data");
        assertThat(rendered.env("FTPBRIDGE_ADMIN_PASSWORD").path("valueFrom").path("secretKeyRef").path("name").asString())
                .isEqualTo("ftpbridge-credentials");
    }

    @Test
    void postgresqlWithoutAHostIsRefused() {
        assertThatThrownBy(() -> new Helm(CHART).template().withName("ftpbridge")
                .set("postgresql.enabled", true).set("postgresql.password", "x").call())
                .hasMessageContaining("postgresql.host is required");
    }

    @Test
    void threeReplicasRenderAStatefulSetWhosePodsEachHaveTheirOwnPassivePortsAndService() {
        Rendered rendered = render("replicas-3", t -> replicated(t).set("replicaCount", 3)
                .set("replicas.passiveAddresses[0]", "198.51.100.10").set("replicas.passiveAddresses[1]", "198.51.100.11")
                .set("replicas.passiveAddresses[2]", "198.51.100.12"));
        assertThat(rendered.has("Deployment")).isFalse();
        JsonNode statefulSet = rendered.one("StatefulSet");
        assertThat(statefulSet.path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(statefulSet.path("spec").path("serviceName").asString()).isEqualTo("ftpbridge");
        JsonNode container = statefulSet.path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(env(container, "FTPBRIDGE_FTP_PASSIVE_PORTS").path("value").asString())
                .isEqualTo("${FTPBRIDGE_PASSIVE_PORTS_${POD_INDEX}}");
        assertThat(env(container, "FTPBRIDGE_FTP_PASSIVE_EXTERNAL_ADDRESS").path("value").asString())
                .isEqualTo("${FTPBRIDGE_PASSIVE_ADDRESS_${POD_INDEX}}");
        assertThat(env(container, "POD_INDEX").path("valueFrom").path("fieldRef").path("fieldPath").asString())
                .isEqualTo("metadata.labels['apps.kubernetes.io/pod-index']");
        Map<String, Integer> containerPorts = byName(container.path("ports"), "containerPort");

        JsonNode shared = rendered.objects().stream().filter(o -> o.path("kind").asString().equals("Service")
                && o.path("metadata").path("name").asString().equals("ftpbridge")).findFirst().orElseThrow();
        assertThat(byName(shared.path("spec").path("ports"), "port")).containsOnlyKeys("http", "ftp");

        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int pod = 0; pod < 3; pod++) {
            String name = "ftpbridge-pasv-" + pod;
            JsonNode service = rendered.objects().stream().filter(o -> o.path("kind").asString().equals("Service")
                    && o.path("metadata").path("name").asString().equals(name)).findFirst().orElseThrow();
            JsonNode spec = service.path("spec");
            assertThat(spec.path("selector").path("statefulset.kubernetes.io/pod-name").asString())
                    .as("%s routes to one pod", name).isEqualTo("ftpbridge-" + pod);
            assertThat(spec.path("loadBalancerIP").asString()).isEqualTo("198.51.100.1" + pod);
            List<Integer> ports = StreamSupport.stream(spec.path("ports").spliterator(), false)
                    .map(p -> p.path("port").asInt()).toList();
            int from = 30000 + pod * 10;
            assertThat(ports).isEqualTo(IntStream.rangeClosed(from, from + 9).boxed().toList());
            assertThat(StreamSupport.stream(spec.path("ports").spliterator(), false).map(p -> p.path("targetPort").asInt()))
                    .isEqualTo(ports);
            for (int port : ports) {
                assertThat(seen.add(port)).as("port %d routes to one pod only", port).isTrue();
                assertThat(containerPorts).containsEntry("pasv-" + port, port);
            }
            assertThat(env(container, "FTPBRIDGE_PASSIVE_PORTS_" + pod).path("value").asString())
                    .isEqualTo(from + "-" + (from + 9));
            assertThat(env(container, "FTPBRIDGE_PASSIVE_ADDRESS_" + pod).path("value").asString())
                    .isEqualTo("198.51.100.1" + pod);
        }
        assertThat(rendered.objects().stream().filter(o -> o.path("kind").asString().equals("Service"))).hasSize(4);
    }

    @Test
    void replicasOnHostPortsAnnounceTheirNodeAndNeedNoPassiveServices() {
        Rendered rendered = render("replicas-hostports", t -> replicated(t).set("replicaCount", 2)
                .set("replicas.hostPorts", true));
        JsonNode container = rendered.one("StatefulSet").path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(byName(container.path("ports"), "hostPort")).hasSize(20).containsEntry("pasv-30019", 30019);
        assertThat(env(container, "FTPBRIDGE_FTP_PASSIVE_EXTERNAL_ADDRESS").path("valueFrom").path("fieldRef")
                .path("fieldPath").asString()).isEqualTo("status.hostIP");
        assertThat(rendered.objects().stream().filter(o -> o.path("kind").asString().equals("Service"))).hasSize(1);
    }

    @Test
    void replicasWithoutExternalPostgresqlOrASharedVolumeFailToRenderWithTheReason() {
        assertThatThrownBy(() -> new Helm(CHART).template().withName("ftpbridge").set("replicaCount", 2)
                .set("ftp.passiveExternalAddress", "203.0.113.5").call())
                .hasMessageContaining("replicaCount > 1 needs external PostgreSQL");
        assertThatThrownBy(() -> new Helm(CHART).template().withName("ftpbridge").set("replicaCount", 2)
                .set("ftp.passiveExternalAddress", "203.0.113.5").set("postgresql.enabled", true)
                .set("postgresql.host", "db").set("postgresql.password", "pg-secret").call())
                .hasMessageContaining("ReadWriteMany");
        assertThatThrownBy(() -> replicated(new Helm(CHART).template().withName("ftpbridge")).set("replicaCount", 3)
                .set("replicas.passiveAddresses[0]", "198.51.100.10").call())
                .hasMessageContaining("one address per pod");
    }

    private static TemplateCommand replicated(TemplateCommand template) {
        return template.set("postgresql.enabled", true).set("postgresql.host", "db.example.internal")
                .set("postgresql.password", "pg-secret").set("persistence.accessModes[0]", "ReadWriteMany");
    }

    private static JsonNode env(JsonNode container, String name) {
        for (JsonNode env : container.path("env")) {
            if (name.equals(env.path("name").asString())) {
                return env;
            }
        }
        throw new AssertionError("no environment variable " + name + " in " + container.path("env"));
    }

    private static Rendered render(String name, UnaryOperator<TemplateCommand> values) {
        String manifest = values.apply(new Helm(CHART).template().withName("ftpbridge").withNamespace("ftp")).call();
        try {
            Path out = Path.of("target", "helm", name + ".yaml");
            Files.createDirectories(out.getParent());
            Files.writeString(out, manifest);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<JsonNode> objects = new ArrayList<>();
        for (Object document : new Yaml().loadAll(manifest)) {
            if (document != null) {
                objects.add(JSON.valueToTree(document));
            }
        }
        return new Rendered(objects);
    }

    @SuppressWarnings("unchecked")
    private static void deepMerge(Map<String, Object> into, Map<String, Object> overrides) {
        overrides.forEach((key, value) -> {
            if (value instanceof Map<?, ?> nested && into.get(key) instanceof Map<?, ?> existing) {
                deepMerge((Map<String, Object>) existing, (Map<String, Object>) nested);
            } else {
                into.put(key, value);
            }
        });
    }

    private static Map<String, Integer> byName(JsonNode ports, String field) {
        Map<String, Integer> byName = new java.util.LinkedHashMap<>();
        StreamSupport.stream(ports.spliterator(), false)
                .filter(p -> p.has(field))
                .forEach(p -> byName.put(p.path("name").asString(), p.path(field).asInt()));
        return byName;
    }
}
