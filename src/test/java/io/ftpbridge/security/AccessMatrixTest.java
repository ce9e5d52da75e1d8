package io.ftpbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.ftpbridge.testsupport.Api;
import io.ftpbridge.testsupport.FtpBridgeTest;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Role × endpoint: every operation of the live OpenAPI document, called by an account of each
 * role, by an FTP user and anonymously. An operation must state its allowed roles
 * ({@code x-allowed-roles}), so a new endpoint without an access rule fails here; the server must
 * enforce exactly what the document states.
 */
@FtpBridgeTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessMatrixTest {

    private static final String PASSWORD = "matrix-password-1";
    private static final Map<String, String> ACCOUNTS = new LinkedHashMap<>();

    static {
        ACCOUNTS.put("ADMIN", "matrix-admin");
        ACCOUNTS.put("OPERATOR", "matrix-operator");
        ACCOUNTS.put("VIEWER", "matrix-viewer");
        ACCOUNTS.put("FTP_USER", "matrix-ftp");
    }

    @LocalServerPort
    int port;

    Api admin;

    @BeforeAll
    void accountsOfEveryRole() {
        admin = new Api(port);
        for (String role : List.of("ADMIN", "OPERATOR", "VIEWER")) {
            Api.Response created = admin.post("/api/v1/admins", """
                    {"username":"%s","password":"%s","role":"%s"}""".formatted(ACCOUNTS.get(role), PASSWORD, role));
            assertThat(created.status()).as(created.text()).isEqualTo(201);
        }
        admin.createFolderAndUser("matrix-folder", ACCOUNTS.get("FTP_USER"), PASSWORD, "/", Api.ALL);
    }

    @Test
    void everyOperationStatesItsRolesAndTheServerEnforcesExactlyThose() {
        JsonNode paths = admin.get("/v3/api-docs").json().get("paths");
        List<String> withoutRule = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (var path : paths.properties()) {
            for (var operation : path.getValue().properties()) {
                String method = operation.getKey().toUpperCase();
                JsonNode roles = operation.getValue().get(OpenApiSecurity.ALLOWED_ROLES);
                String name = method + " " + path.getKey();
                if (roles == null || roles.isEmpty()) {
                    withoutRule.add(name);
                    continue;
                }
                Set<String> allowed = new java.util.HashSet<>();
                roles.forEach(r -> allowed.add(r.asString()));
                String concrete = path.getKey().replaceAll("\\{[^}]+}", "matrix-none").replace("/**", "/matrix-none/x");
                int anonymous = call(admin.anonymous(), method, concrete);
                if (anonymous != 401) {
                    mismatches.add(name + " anonymous -> " + anonymous + " (expected 401)");
                }
                for (var account : ACCOUNTS.entrySet()) {
                    int status = call(admin.as(account.getValue(), PASSWORD), method, concrete);
                    boolean permitted = status != 401 && status != 403;
                    if (permitted != allowed.contains(account.getKey())) {
                        mismatches.add("%s as %s -> %d (document allows %s)".formatted(name, account.getKey(), status, allowed));
                    }
                }
                checkInvariants(method, path.getKey(), allowed, mismatches);
                checked++;
            }
        }
        assertThat(withoutRule).as("operations without an access rule in security/AccessRules (x-allowed-roles)").isEmpty();
        assertThat(mismatches).as("role × endpoint mismatches").isEmpty();
        assertThat(checked).as("operations checked").isGreaterThan(40);
    }

    /** Rules that hold whatever the table says: the matrix cannot drift into giving too much away. */
    private static void checkInvariants(String method, String path, Set<String> allowed, List<String> mismatches) {
        boolean own = path.startsWith("/api/v1/me") || path.equals("/api/v1/auth/token");
        if (allowed.contains("FTP_USER") && !own) {
            mismatches.add(method + " " + path + ": an FTP user may only reach its own /api/v1/me");
        }
        if (allowed.contains("VIEWER") && !method.equals("GET") && !own) {
            mismatches.add(method + " " + path + ": VIEWER is read-only");
        }
        if (allowed.contains("OPERATOR") && path.startsWith("/api/v1/admins")) {
            mismatches.add(method + " " + path + ": only ADMIN manages administrators");
        }
        if (!allowed.contains("ADMIN") && !path.startsWith("/api/v1/me/files")) {
            mismatches.add(method + " " + path + ": ADMIN may do everything outside an FTP user's own files");
        }
    }

    private static int call(Api api, String method, String path) {
        HttpRequest.Builder request = api.builder(path);
        switch (method) {
            case "GET" -> request.GET();
            case "DELETE" -> request.DELETE();
            default -> request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString("{}"));
        }
        return api.send(request).status();
    }

    @Test
    void anonymousHealthShowsTheStatusOnlyAndAccountsSeeTheComponents() {
        JsonNode open = admin.anonymous().get("/actuator/health").json();
        assertThat(open.get("status").asString()).isEqualTo("UP");
        assertThat(open.has("components")).as("anonymous health: %s", open).isFalse();
        assertThat(open.toString()).doesNotContain("database", "PostgreSQL", "path");

        JsonNode viewer = admin.as(ACCOUNTS.get("VIEWER"), PASSWORD).get("/actuator/health").json();
        assertThat(viewer.get("components").get("db").get("status").asString()).isEqualTo("UP");
        assertThat(viewer.get("components").get("ftp").get("details").has("port")).isTrue();

        JsonNode ftpUser = admin.as(ACCOUNTS.get("FTP_USER"), PASSWORD).get("/actuator/health").json();
        assertThat(ftpUser.has("components")).as("an FTP user sees the status only: %s", ftpUser).isFalse();
    }

    @Test
    void prometheusIsForAdministratorAccountsOfAnyRoleButNotForFtpUsers() {
        assertThat(admin.as(ACCOUNTS.get("VIEWER"), PASSWORD).get("/actuator/prometheus").status()).isEqualTo(200);
        assertThat(admin.as(ACCOUNTS.get("FTP_USER"), PASSWORD).get("/actuator/prometheus").status()).isEqualTo(403);
        assertThat(admin.anonymous().get("/actuator/prometheus").status()).isEqualTo(401);
    }
}
