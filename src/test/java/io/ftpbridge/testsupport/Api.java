package io.ftpbridge.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain HTTP client for the REST API, authenticated as the tests' administrator. Every response is
 * checked against the committed OpenAPI document ({@link OpenApiContract}).
 */
public final class Api {

    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "admin-test-password";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Status, headers and body of one exchange. */
    public record Response(int status, HttpResponse<byte[]> raw) {
        public String text() {
            return new String(raw.body(), StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            return JSON.readTree(raw.body());
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String authorization;

    public Api(int port) {
        this(port, ADMIN, ADMIN_PASSWORD);
    }

    public Api(int port, String user, String password) {
        this("127.0.0.1", port, user, password);
    }

    /** The administrator's client on another local address, e.g. {@code [::1]}. */
    public Api(String host, int port) {
        this(host, port, ADMIN, ADMIN_PASSWORD);
    }

    private Api(String host, int port, String user, String password) {
        this.base = "http://" + host + ":" + port;
        this.authorization = user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private Api(String base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /** The same server with {@code Authorization: Bearer <token or API key>}. */
    public Api bearer(String token) {
        return new Api(base, "Bearer " + token);
    }

    /** The same server with HTTP Basic credentials of another account. */
    public Api as(String user, String password) {
        return new Api(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), user, password);
    }

    public Api anonymous() {
        return new Api(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), null, null);
    }

    public String base() {
        return base;
    }

    public Response get(String path) {
        return send(builder(path).GET());
    }

    public Response delete(String path) {
        return send(builder(path).DELETE());
    }

    public Response post(String path, String json) {
        return send(builder(path).header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response put(String path, String json) {
        return send(builder(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response patch(String path, String json) {
        return send(builder(path).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response putBytes(String path, byte[] body) {
        return send(builder(path).header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public Response send(HttpRequest.Builder request) {
        try {
            return wrap(http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray()));
        } catch (IOException e) {
            throw new IllegalStateException("HTTP request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Response wrap(HttpResponse<byte[]> response) {
        // drift between the API and openapi/ftpbridge.yaml fails the test that meets it
        OpenApiContract.instance().check(response);
        return new Response(response.statusCode(), response);
    }

    public HttpRequest.Builder builder(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    /** Creates a folder and a user that mounts it at {@code mountPath} with the given permissions. */
    public void createFolderAndUser(String folder, String user, String password, String mountPath, String... permissions) {
        Response f = post("/api/v1/folders", "{\"name\":\"%s\"}".formatted(folder));
        if (f.status() != 201) {
            throw new IllegalStateException("folder not created: " + f.status() + " " + f.text());
        }
        createUser(user, password, folder, mountPath, permissions);
    }

    public void createUser(String user, String password, String folder, String mountPath, String... permissions) {
        String perms = String.join("\",\"", permissions);
        Response u = post("/api/v1/users", """
                {"username":"%s","password":"%s","mounts":[{"folder":"%s","path":"%s","permissions":["%s"]}]}
                """.formatted(user, password, folder, mountPath, perms));
        if (u.status() != 201) {
            throw new IllegalStateException("user not created: " + u.status() + " " + u.text());
        }
    }

    public static final String[] ALL = {"LIST", "READ", "WRITE", "APPEND", "DELETE", "RENAME", "MKDIR", "RMDIR"};
}
