package io.ftpbridge.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.FtpBridgeTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** The users and folders API: validation, conflicts, paging, authentication, and no half-writes. */
@FtpBridgeTest
class UserAndFolderApiTest {

    @LocalServerPort
    int httpPort;

    @Autowired
    JdbcTemplate jdbc;

    Api api;

    @BeforeEach
    void client() {
        api = new Api(httpPort);
    }

    @Test
    void createdUserIsReturnedWithoutItsPasswordAndStoredHashed() {
        assertThat(api.post("/api/v1/folders", "{\"name\":\"api-home\",\"quotaBytes\":5000}").status()).isEqualTo(201);
        Api.Response created = api.post("/api/v1/users", """
                {"username":"api.user-1","password":"plain-text-pw","maxConnections":2,
                 "mounts":[{"folder":"api-home","path":"/","permissions":["LIST","READ"]}]}""");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).endsWith("/api/v1/users/api.user-1");
        assertThat(created.text()).doesNotContain("plain-text-pw").doesNotContainIgnoringCase("password");
        JsonNode body = created.json();
        assertThat(body.get("enabled").asBoolean()).isTrue();
        assertThat(body.get("mounts").get(0).get("permissions").toString()).isEqualTo("[\"LIST\",\"READ\"]");

        String hash = jdbc.queryForObject("select password_hash from ftp_user where username = ?", String.class, "api.user-1");
        assertThat(hash).startsWith("{bcrypt}$2").doesNotContain("plain-text-pw");
        assertThat(api.get("/api/v1/users/api.user-1").text()).doesNotContainIgnoringCase("password");
    }

    @Test
    void badUsernamesAreRefusedWithTheOffendingField() {
        for (String name : new String[] {"", "has space", "slash/name", "x".repeat(65), "ümlaut", "../up"}) {
            Api.Response response = api.post("/api/v1/users",
                    "{\"username\":\"%s\",\"password\":\"long-enough\"}".formatted(name));
            assertThat(response.status()).as(name).isEqualTo(400);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            assertThat(response.json().get("errors").toString()).contains("\"field\":\"username\"");
        }
        Api.Response shortPassword = api.post("/api/v1/users", "{\"username\":\"shorty\",\"password\":\"short\"}");
        assertThat(shortPassword.status()).isEqualTo(400);
        assertThat(shortPassword.json().get("errors").toString()).contains("\"field\":\"password\"");
        assertThat(api.get("/api/v1/users/shorty").status()).isEqualTo(404);
    }

    @Test
    void unknownFolderInAMountIsRefusedAndNothingIsWritten() {
        long usersBefore = count("ftp_user");
        long mountsBefore = count("user_mount");
        Api.Response response = api.post("/api/v1/users", """
                {"username":"orphan","password":"long-enough",
                 "mounts":[{"folder":"no-such-folder","path":"/x","permissions":["LIST"]}]}""");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("mounts[0].folder");
        assertThat(response.json().get("status").asInt()).isEqualTo(400);
        assertThat(response.json().get("title").asString()).isNotBlank();
        assertThat(response.json().get("detail").asString()).contains("no-such-folder");
        assertThat(count("ftp_user")).isEqualTo(usersBefore);
        assertThat(count("user_mount")).isEqualTo(mountsBefore);
    }

    @Test
    void badMountPathsAndPermissionsAreRefused() {
        api.post("/api/v1/folders", "{\"name\":\"mount-checks\"}");
        assertThat(api.post("/api/v1/users", """
                {"username":"m1","password":"long-enough","mounts":[{"folder":"mount-checks","path":"relative","permissions":["LIST"]}]}""")
                .json().get("errors").get(0).get("field").asString()).isEqualTo("mounts[0].path");
        assertThat(api.post("/api/v1/users", """
                {"username":"m2","password":"long-enough","mounts":[{"folder":"mount-checks","path":"/a/../b","permissions":["LIST"]}]}""")
                .status()).isEqualTo(400);
        assertThat(api.post("/api/v1/users", """
                {"username":"m3","password":"long-enough","mounts":[
                 {"folder":"mount-checks","path":"/same","permissions":["LIST"]},
                 {"folder":"mount-checks","path":"/same","permissions":["READ"]}]}""")
                .json().get("errors").get(0).get("field").asString()).isEqualTo("mounts[1].path");
        Api.Response badPermission = api.post("/api/v1/users", """
                {"username":"m4","password":"long-enough","mounts":[{"folder":"mount-checks","path":"/p","permissions":["FLY"]}]}""");
        assertThat(badPermission.status()).isEqualTo(400);
        assertThat(badPermission.header("Content-Type")).startsWith("application/problem+json");
        Api.Response badCidr = api.post("/api/v1/users", """
                {"username":"m5","password":"long-enough","allowedIps":["300.1.2.3/8"]}""");
        assertThat(badCidr.json().get("errors").get(0).get("field").asString()).isEqualTo("allowedIps[0]");
        assertThat(count("ftp_user where username in ('m1','m2','m3','m4','m5')")).isZero();
    }

    @Test
    void duplicateNamesConflict() {
        assertThat(api.post("/api/v1/folders", "{\"name\":\"dup-folder\"}").status()).isEqualTo(201);
        Api.Response folder = api.post("/api/v1/folders", "{\"name\":\"dup-folder\"}");
        assertThat(folder.status()).isEqualTo(409);
        assertThat(folder.json().get("errors").get(0).get("field").asString()).isEqualTo("name");
        assertThat(api.post("/api/v1/users", "{\"username\":\"dup-user\",\"password\":\"long-enough\"}").status()).isEqualTo(201);
        assertThat(api.post("/api/v1/users", "{\"username\":\"dup-user\",\"password\":\"long-enough\"}").status()).isEqualTo(409);
        assertThat(count("ftp_user where username = 'dup-user'")).isEqualTo(1);
    }

    @Test
    void malformedJsonIsAProblemDetail() {
        Api.Response response = api.post("/api/v1/users", "{\"username\": \"broken\", ");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("detail").asString()).startsWith("malformed request body");
        Api.Response wrongType = api.post("/api/v1/folders", "{\"name\":\"typed\",\"quotaBytes\":\"lots\"}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(api.get("/api/v1/folders/typed").status()).isEqualTo(404);
    }

    @Test
    void mountedFolderCannotBeDeletedUntilUnmounted() {
        api.createFolderAndUser("busy-folder", "busy-user", "long-enough", "/busy", "LIST");
        Api.Response refused = api.delete("/api/v1/folders/busy-folder");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("detail").asString()).contains("busy-user");
        assertThat(api.patch("/api/v1/users/busy-user", "{\"mounts\":[]}").status()).isEqualTo(200);
        assertThat(api.delete("/api/v1/folders/busy-folder").status()).isEqualTo(204);
        assertThat(api.get("/api/v1/folders/busy-folder").status()).isEqualTo(404);
    }

    @Test
    void putReplacesAndPatchChangesOnlyWhatIsSent() {
        api.post("/api/v1/folders", "{\"name\":\"edit-folder\",\"description\":\"first\",\"quotaBytes\":10}");
        JsonNode patched = api.patch("/api/v1/folders/edit-folder", "{\"quotaFiles\":7}").json();
        assertThat(patched.get("description").asString()).isEqualTo("first");
        assertThat(patched.get("quotaBytes").asLong()).isEqualTo(10);
        assertThat(patched.get("quotaFiles").asLong()).isEqualTo(7);
        JsonNode replaced = api.put("/api/v1/folders/edit-folder", "{\"name\":\"edit-folder\",\"quotaBytes\":20}").json();
        assertThat(replaced.get("description").isNull()).isTrue();
        assertThat(replaced.get("quotaBytes").asLong()).isEqualTo(20);
        assertThat(api.put("/api/v1/folders/edit-folder", "{\"name\":\"renamed\"}").status()).isEqualTo(400);
        assertThat(api.patch("/api/v1/folders/edit-folder", "{\"quotaBytes\":-1}").status()).isEqualTo(400);
        assertThat(api.patch("/api/v1/folders/nope", "{\"quotaBytes\":1}").status()).isEqualTo(404);
        assertThat(api.patch("/api/v1/folders/edit-folder", "{\"location\":\"/etc\"}").json().get("errors").get(0)
                .get("field").asString()).isEqualTo("location");
    }

    @Test
    void listsArePaged() {
        for (int i = 0; i < 3; i++) {
            api.post("/api/v1/folders", "{\"name\":\"paged-%d\"}".formatted(i));
        }
        JsonNode page = api.get("/api/v1/folders?page=0&size=2").json();
        assertThat(page.get("items").size()).isEqualTo(2);
        assertThat(page.get("page").asInt()).isZero();
        assertThat(page.get("size").asInt()).isEqualTo(2);
        assertThat(page.get("total").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(api.get("/api/v1/users?size=0").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/users?page=-1").status()).isEqualTo(400);
    }

    @Test
    void everyPageOfUsersShowsEachUserAsItsOwnResourceDoes() {
        api.post("/api/v1/folders", "{\"name\":\"list-a\"}");
        api.post("/api/v1/folders", "{\"name\":\"list-b\"}");
        String[] mounts = {
            "",
            "{\"folder\":\"list-a\",\"path\":\"/\",\"permissions\":[\"LIST\"]}",
            "{\"folder\":\"list-a\",\"path\":\"/a\",\"permissions\":[\"LIST\",\"READ\",\"WRITE\"]},"
                    + "{\"folder\":\"list-b\",\"path\":\"/b\",\"permissions\":[\"DELETE\"]}",
            "{\"folder\":\"list-b\",\"path\":\"/\",\"permissions\":[]},"
                    + "{\"folder\":\"list-a\",\"path\":\"/x/y\",\"permissions\":[\"MKDIR\"]},"
                    + "{\"folder\":\"list-b\",\"path\":\"/z\",\"permissions\":[\"READ\"]}"};
        for (int i = 0; i < 7; i++) {
            assertThat(api.post("/api/v1/users", """
                    {"username":"lister-%d","password":"long-enough","allowedIps":%s,"mounts":[%s]}"""
                    .formatted(i, i % 2 == 0 ? "[]" : "[\"10.0.0.0/8\",\"127.0.0.1\"]", mounts[i % mounts.length]))
                    .status()).isEqualTo(201);
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        long total = -1;
        for (int page = 0; total < 0 || names.size() < total; page++) {
            JsonNode body = api.get("/api/v1/users?size=3&page=" + page).json();
            total = body.get("total").asLong();
            assertThat(body.get("items").size()).isBetween(1, 3);
            for (JsonNode item : body.get("items")) {
                String name = item.get("username").asString();
                names.add(name);
                assertThat(item).as(name).isEqualTo(api.get("/api/v1/users/" + name).json());
            }
        }
        assertThat(names).doesNotHaveDuplicates().hasSize((int) total);
        // ordered by username (in the database's collation, hence only names differing in a digit compared here)
        assertThat(names.stream().filter(n -> n.startsWith("lister-")).toList())
                .containsExactly("lister-0", "lister-1", "lister-2", "lister-3", "lister-4", "lister-5", "lister-6");
        assertThat(api.get("/api/v1/users?size=3&page=" + (total / 3 + 1)).json().get("items").size()).isZero();
        for (int i = 0; i < 7; i++) {
            // the shared test database: other tests' first pages stay as they were
            assertThat(api.delete("/api/v1/users/lister-" + i).status()).isEqualTo(204);
        }
    }

    @Test
    void apiNeedsAdministratorCredentials() {
        Api.Response anonymous = api.anonymous().get("/api/v1/users");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate")).startsWith("Basic");
        assertThat(anonymous.header("Content-Type")).startsWith("application/problem+json");
        assertThat(new Api(httpPort, "admin", "wrong-password").get("/api/v1/users").status()).isEqualTo(401);
        assertThat(api.anonymous().get("/actuator/health").status()).isEqualTo(200);
    }

    private long count(String tableAndWhere) {
        return jdbc.queryForObject("select count(*) from " + tableAndWhere, Long.class);
    }
}
