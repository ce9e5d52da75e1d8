package io.ftpbridge.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.FtpBridgeTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

/**
 * The committed {@code openapi/ftpbridge.yaml} is the live {@code /v3/api-docs}. Regenerate it with
 * {@value #REGENERATE}.
 */
@FtpBridgeTest
class OpenApiDocumentTest {

    static final Path COMMITTED = Path.of("openapi", "ftpbridge.yaml");
    static final String REGENERATE = "./mvnw -q -B test -Dtest=OpenApiDocumentTest -Dopenapi.update=true";

    @LocalServerPort
    int port;

    @Test
    void committedDocumentEqualsTheLiveOne() throws IOException {
        String live = liveYaml();
        if (Boolean.getBoolean("openapi.update")) {
            Files.createDirectories(COMMITTED.getParent());
            Files.writeString(COMMITTED, live, StandardCharsets.UTF_8);
        }
        assertThat(COMMITTED).as("%s is missing; create it with: %s", COMMITTED, REGENERATE).exists();
        Object committed = new Yaml().load(Files.readString(COMMITTED, StandardCharsets.UTF_8));
        String difference = firstDifference("", committed, new Yaml().load(live));
        if (difference != null) {
            fail("%s differs from the live /v3/api-docs at %s.%nIf the API change is intended, regenerate the file with:%n  %s%nand commit it."
                    .formatted(COMMITTED, difference, REGENERATE));
        }
    }

    @Test
    void openJsonDocumentIsTheSameDocument() throws IOException {
        Api.Response json = new Api(port).anonymous().get("/v3/api-docs");
        assertThat(json.status()).as("/v3/api-docs is open: %s", json.text()).isEqualTo(200);
        Object fromJson = JsonMapper.builder().build().readValue(json.text(), Object.class);
        assertThat(firstDifference("", new Yaml().load(liveYaml()), fromJson)).isNull();
    }

    @Test
    void liveDocumentIsTheSameOnEveryRequest() {
        assertThat(liveYaml()).isEqualTo(liveYaml());
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyOperationNeedsCredentialsAndDocumentsProblemResponses() {
        Map<String, Object> doc = new Yaml().load(liveYaml());
        Map<String, Object> components = (Map<String, Object>) doc.get("components");
        Map<String, Object> schemes = (Map<String, Object>) components.get("securitySchemes");
        assertThat((Map<String, Object>) schemes.get("basicAuth")).containsEntry("type", "http").containsEntry("scheme", "basic");
        assertThat((Map<String, Object>) schemes.get("bearerAuth")).containsEntry("type", "http").containsEntry("scheme", "bearer");
        assertThat((Map<String, Object>) schemes.get("apiKeyHeader")).containsEntry("type", "apiKey").containsEntry("name", "X-API-Key");
        assertThat(doc.get("security")).isEqualTo(List.of(Map.of("basicAuth", List.of()), Map.of("bearerAuth", List.of()),
                Map.of("apiKeyHeader", List.of())));
        assertThat(doc.get("servers")).asList().singleElement().asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("url", "/");

        Map<String, Object> notFound = (Map<String, Object>) ((Map<String, Object>) components.get("responses")).get("NotFound");
        assertThat((Map<String, Object>) notFound.get("content")).containsKey("application/problem+json");

        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) doc.get("paths");
        assertThat(paths).containsKeys("/api/v1/users", "/api/v1/users/{username}", "/api/v1/folders");
        Map<String, Object> listUsers = (Map<String, Object>) paths.get("/api/v1/users").get("get");
        assertThat(listUsers.get("operationId")).isEqualTo("listUser");
        assertThat(listUsers.get("x-allowed-roles")).isEqualTo(List.of("ADMIN", "OPERATOR", "VIEWER"));
        Map<String, Object> responses = (Map<String, Object>) listUsers.get("responses");
        assertThat(responses).containsKeys("200", "400", "401", "403", "503");
        assertThat(responses.get("401")).isEqualTo(Map.of("$ref", "#/components/responses/Unauthorized"));
        Map<String, Object> deleteUser = (Map<String, Object>) paths.get("/api/v1/users/{username}").get("delete");
        assertThat((Map<String, Object>) deleteUser.get("responses")).containsKeys("404", "409");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyFileTreeHasARootListingAndOnePathParameterForEverythingBelow() {
        Map<String, Object> doc = new Yaml().load(liveYaml());
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) doc.get("paths");
        assertThat(paths.keySet()).noneMatch(path -> path.contains("*"));
        for (String tree : List.of("/api/v1/folders/{name}/files", "/api/v1/me/files", "/api/v1/remotes/{name}/files")) {
            assertThat(paths.get(tree)).as(tree).containsOnlyKeys("get");
            Map<String, Object> root = (Map<String, Object>) paths.get(tree).get("get");
            assertThat((List<Map<String, Object>>) root.getOrDefault("parameters", List.of()))
                    .noneMatch(p -> "path".equals(p.get("name")));
            Map<String, Object> below = paths.get(tree + "/{path}");
            assertThat(below).as(tree + "/{path}").containsKeys("get", "put", "post", "delete");
            below.forEach((method, operation) -> assertThat(
                    (List<Map<String, Object>>) ((Map<String, Object>) operation).get("parameters"))
                    .as(method + " " + tree + "/{path}")
                    .filteredOn(p -> "path".equals(p.get("in")) && "path".equals(p.get("name")))
                    .singleElement().satisfies(p -> assertThat(p).containsEntry("required", true)));
        }
        Map<String, Object> download = (Map<String, Object>) paths.get("/api/v1/folders/{name}/files/{path}").get("get");
        assertThat((Map<String, Object>) download.get("responses")).containsKeys("200", "206", "304", "416", "429");
        Map<String, Object> upload = (Map<String, Object>) paths.get("/api/v1/me/files/{path}").get("put");
        assertThat((Map<String, Object>) upload.get("responses")).containsKeys("200", "201", "507");
        Map<String, Object> remote = (Map<String, Object>) paths.get("/api/v1/remotes/{name}/files/{path}").get("get");
        assertThat((Map<String, Object>) remote.get("responses")).containsKeys("502", "504");
    }

    @Test
    @SuppressWarnings("unchecked")
    void fieldsThatCanBeNullAreTypedSo() {
        Map<String, Object> doc = new Yaml().load(liveYaml());
        Map<String, Map<String, Object>> schemas = (Map<String, Map<String, Object>>)
                ((Map<String, Object>) doc.get("components")).get("schemas");
        Map<String, Object> job = (Map<String, Object>) schemas.get("TransferResponse").get("properties");
        assertThat((Map<String, Object>) job.get("startedAt")).containsEntry("type", List.of("string", "null"));
        Map<String, Object> dataMode = (Map<String, Object>) job.get("dataMode");
        assertThat(dataMode).containsEntry("type", List.of("string", "null"));
        assertThat((List<Object>) dataMode.get("enum")).contains("PASV").containsNull();
        Map<String, Object> folder = (Map<String, Object>) schemas.get("FolderResponse").get("properties");
        assertThat((Map<String, Object>) folder.get("description")).containsEntry("type", List.of("string", "null"));
        assertThat((Map<String, Object>) folder.get("name")).containsEntry("type", "string");
    }

    private String liveYaml() {
        Api.Response response = new Api(port).get("/v3/api-docs.yaml");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.text();
    }

    /** The path of the first place where two parsed YAML trees differ, or null when they are equal. */
    @SuppressWarnings("unchecked")
    private static String firstDifference(String path, Object committed, Object live) {
        if (committed instanceof Map<?, ?> a && live instanceof Map<?, ?> b) {
            Set<Object> keys = new TreeSet<>((x, y) -> String.valueOf(x).compareTo(String.valueOf(y)));
            keys.addAll(a.keySet());
            keys.addAll(b.keySet());
            for (Object key : keys) {
                String here = path + "/" + key;
                if (!a.containsKey(key)) {
                    return here + " (only in the live document)";
                }
                if (!b.containsKey(key)) {
                    return here + " (only in the committed file)";
                }
                String inner = firstDifference(here, a.get(key), b.get(key));
                if (inner != null) {
                    return inner;
                }
            }
            return null;
        }
        if (committed instanceof List<?> a && live instanceof List<?> b) {
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                String inner = firstDifference(path + "[" + i + "]", a.get(i), b.get(i));
                if (inner != null) {
                    return inner;
                }
            }
            return a.size() == b.size() ? null
                    : path + " (committed has " + a.size() + " items, live has " + b.size() + ")";
        }
        return Objects.equals(committed, live) ? null
                : (path.isEmpty() ? "/" : path) + " (committed: " + committed + ", live: " + live + ")";
    }
}
