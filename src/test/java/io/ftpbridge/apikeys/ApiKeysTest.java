package io.ftpbridge.apikeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.FtpBridgeTest;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** API keys: shown once, used as Bearer or X-API-Key, capped by their creator's role, expiring and revocable. */
@FtpBridgeTest
class ApiKeysTest {

    @LocalServerPort
    int port;

    @Test
    void aKeyIsShownOnceAndWorksAsBearerAndAsXApiKey() {
        Api admin = new Api(port);
        Api.Response created = admin.post("/api/v1/api-keys", "{\"name\":\"provisioning\",\"role\":\"OPERATOR\"}");
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode key = created.json();
        String whole = key.get("key").asString();
        assertThat(whole).startsWith("fbk_" + key.get("id").asString() + "_").hasSizeGreaterThan(50);
        assertThat(created.header("Location")).isEqualTo("/api/v1/api-keys/" + key.get("id").asString());
        assertThat(key.get("role").asString()).isEqualTo("OPERATOR");
        assertThat(key.get("lastUsedAt").isNull()).isTrue();

        Api bearer = admin.bearer(whole);
        assertThat(bearer.get("/api/v1/users").status()).isEqualTo(200);
        assertThat(bearer.post("/api/v1/folders", "{\"name\":\"made-by-key\"}").status()).isEqualTo(201);
        assertThat(bearer.get("/api/v1/admins").status()).as("an OPERATOR key cannot manage administrators").isEqualTo(403);
        Api.Response viaHeader = admin.anonymous().send(admin.anonymous().builder("/api/v1/me").header("X-API-Key", whole).GET());
        assertThat(viaHeader.status()).isEqualTo(200);
        assertThat(viaHeader.json().get("authMethod").asString()).isEqualTo("API_KEY");
        assertThat(viaHeader.json().get("role").asString()).isEqualTo("OPERATOR");
        assertThat(viaHeader.json().get("username").asString()).isEqualTo(Api.ADMIN);

        Api.Response list = admin.get("/api/v1/api-keys?size=500");
        // the secret is what follows "fbk_<id>_" (base64url, which may itself hold '_')
        String secret = whole.substring(("fbk_" + key.get("id").asString() + "_").length());
        assertThat(list.text()).contains(key.get("id").asString()).doesNotContain(whole).doesNotContain(secret);
        JsonNode listed = find(list.json(), key.get("id").asString());
        assertThat(listed.has("key")).isFalse();
        assertThat(listed.get("lastUsedAt").isNull()).as("lastUsedAt is recorded").isFalse();

        assertThat(bearer.post("/api/v1/api-keys", "{\"name\":\"child\",\"role\":\"VIEWER\"}").status())
                .as("a key does not create keys").isEqualTo(403);
        char last = whole.charAt(whole.length() - 1);
        String wrongSecret = whole.substring(0, whole.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertThat(admin.bearer(wrongSecret).get("/api/v1/users").status())
                .as("a key with a wrong secret").isEqualTo(401);
    }

    @Test
    void aKeyIsNeverAboveItsCreatorAndFollowsItsCreatorDown() {
        Api admin = new Api(port);
        assertThat(admin.post("/api/v1/admins", """
                {"username":"key-maker","password":"key-maker-pass","role":"OPERATOR"}""").status()).isEqualTo(201);
        Api operator = admin.as("key-maker", "key-maker-pass");
        Api.Response tooHigh = operator.post("/api/v1/api-keys", "{\"name\":\"too-high\",\"role\":\"ADMIN\"}");
        assertThat(tooHigh.status()).isEqualTo(403);
        assertThat(tooHigh.json().get("detail").asString()).contains("above its creator's");
        Api.Response made = operator.post("/api/v1/api-keys", "{\"name\":\"ops\",\"role\":\"OPERATOR\"}");
        assertThat(made.status()).isEqualTo(201);
        Api key = admin.bearer(made.json().get("key").asString());
        assertThat(key.post("/api/v1/folders", "{\"name\":\"key-maker-folder\"}").status()).isEqualTo(201);

        assertThat(operator.get("/api/v1/api-keys?size=500").text()).as("an OPERATOR lists its own keys only")
                .contains("\"ops\"").doesNotContain("\"provisioning\"");

        // its creator demoted to VIEWER: the key can no longer change anything (within the re-check interval)
        assertThat(admin.patch("/api/v1/admins/key-maker", "{\"role\":\"VIEWER\"}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(key.post("/api/v1/folders", "{\"name\":\"key-maker-folder-2\"}").status()).isEqualTo(403));
        assertThat(key.get("/api/v1/folders").status()).isEqualTo(200);

        assertThat(admin.patch("/api/v1/admins/key-maker", "{\"enabled\":false}").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(key.get("/api/v1/folders").status()).isEqualTo(401));
    }

    @Test
    void anExpiredKeyIsRefusedWithAProblemDetail() throws InterruptedException {
        Api admin = new Api(port);
        Instant expiry = Instant.now().plusSeconds(2);
        Api.Response made = admin.post("/api/v1/api-keys",
                "{\"name\":\"short-lived\",\"role\":\"VIEWER\",\"expiresAt\":\"%s\"}".formatted(expiry));
        assertThat(made.status()).as(made.text()).isEqualTo(201);
        Api key = admin.bearer(made.json().get("key").asString());
        assertThat(key.get("/api/v1/users").status()).isEqualTo(200);
        assertThat(key.post("/api/v1/folders", "{\"name\":\"viewer-key-folder\"}").status()).isEqualTo(403);
        Thread.sleep(Duration.between(Instant.now(), expiry).toMillis() + 100);
        Api.Response refused = key.get("/api/v1/users");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().get("status").asInt()).isEqualTo(401);

        assertThat(admin.post("/api/v1/api-keys", "{\"name\":\"past\",\"role\":\"VIEWER\",\"expiresAt\":\"2020-01-01T00:00:00Z\"}")
                .status()).isEqualTo(400);
    }

    @Test
    void aRevokedKeyIsRefusedAtOnceOnTheInstanceThatRevokedIt() {
        Api admin = new Api(port);
        Api.Response made = admin.post("/api/v1/api-keys", "{\"name\":\"to-revoke\",\"role\":\"VIEWER\"}");
        String id = made.json().get("id").asString();
        Api key = admin.bearer(made.json().get("key").asString());
        assertThat(key.get("/api/v1/users").status()).isEqualTo(200);
        assertThat(admin.delete("/api/v1/api-keys/" + id).status()).isEqualTo(204);
        assertThat(key.get("/api/v1/users").status()).isEqualTo(401);
        assertThat(admin.delete("/api/v1/api-keys/" + id).status()).isEqualTo(404);
    }

    private static JsonNode find(JsonNode page, String id) {
        for (JsonNode item : page.get("items")) {
            if (item.get("id").asString().equals(id)) {
                return item;
            }
        }
        throw new AssertionError("key " + id + " not listed: " + page);
    }
}
