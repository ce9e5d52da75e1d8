package io.ftpbridge.testsupport;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Checks each response the tests receive against the committed {@code openapi/ftpbridge.yaml}: the
 * request must match a documented path and method, the status must be listed for that operation,
 * the content type must be one the status documents, and a JSON body must validate against its schema
 * (JSON Schema 2020-12 with the OpenAPI 3.1 dialect, networknt json-schema-validator, the document
 * itself as the schema resource so {@code $ref}s resolve). Bodies that are not JSON (file bytes,
 * event streams) are checked for status and content type only. Paths outside {@code /api/} (actuator,
 * Swagger UI, the document itself) are not part of the document and not checked.
 */
public final class OpenApiContract {

    static final Path DOCUMENT = Path.of("openapi", "ftpbridge.yaml").toAbsolutePath();

    private static final OpenApiContract INSTANCE = new OpenApiContract();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private record Route(String template, Pattern pattern, int literalLength, JsonNode item) {
    }

    private final JsonNode document;
    private final List<Route> routes = new ArrayList<>();
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private OpenApiContract() {
        try {
            document = YAMLMapper.builder().build().readTree(Files.readString(DOCUMENT));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DOCUMENT, e);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = document.get("paths").properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            routes.add(route(path.getKey(), path.getValue()));
        }
        // the most specific template first: /users/me before /users/{username}
        routes.sort(Comparator.comparingInt(Route::literalLength).reversed());
        String text;
        try {
            text = Files.readString(DOCUMENT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String documentText = text;
        registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(), builder -> builder
                .resourceLoaders(loaders -> loaders.resources(Map.of(DOCUMENT.toUri().toString(), documentText))));
    }

    public static OpenApiContract instance() {
        return INSTANCE;
    }

    /** A {@code path} parameter spans one or more segments (file paths); any other one segment. */
    private static Route route(String template, JsonNode item) {
        StringBuilder regex = new StringBuilder("^");
        int literal = 0;
        var matcher = Pattern.compile("\\{([^}]+)}").matcher(template);
        int last = 0;
        while (matcher.find()) {
            String text = template.substring(last, matcher.start());
            regex.append(Pattern.quote(text));
            literal += text.length();
            regex.append(matcher.group(1).equals("path") ? "(.+)" : "([^/]+)");
            last = matcher.end();
        }
        String rest = template.substring(last);
        regex.append(Pattern.quote(rest)).append("/?$");
        literal += rest.length();
        return new Route(template, Pattern.compile(regex.toString()), literal, item);
    }

    /** Throws an {@link AssertionError} naming every way the response differs from the document. */
    public void check(HttpResponse<byte[]> response) {
        String method = response.request().method().toLowerCase(Locale.ROOT);
        URI uri = response.request().uri();
        String path = uri.getRawPath();
        if (!path.startsWith("/api/")) {
            return;
        }
        int status = response.statusCode();
        String where = method.toUpperCase(Locale.ROOT) + " " + path + " -> " + status;
        Route route = routes.stream().filter(r -> r.pattern().matcher(path).matches()).findFirst().orElse(null);
        if (route == null) {
            if (status == 404 || status == 405) {
                return; // no such route at all: nothing to document
            }
            throw new AssertionError(where + ": no path of " + DOCUMENT.getFileName() + " matches");
        }
        String m = method.equals("head") ? "get" : method;
        JsonNode operation = route.item().get(m);
        if (operation == null) {
            if (status == 400 || status == 404 || status == 405 || method.equals("options")) {
                return; // a request the API does not offer (PUT on a root listing), refused: nothing to document
            }
            throw new AssertionError(where + ": " + route.template() + " documents no " + m.toUpperCase(Locale.ROOT));
        }
        JsonNode responses = operation.get("responses");
        String code = String.valueOf(status);
        JsonNode documented = responses.has(code) ? responses.get(code) : responses.get("default");
        if (documented == null) {
            throw new AssertionError(where + ": status " + status + " is not listed for " + m.toUpperCase(Locale.ROOT)
                    + " " + route.template() + " (lists " + names(responses) + ")");
        }
        String pointer = "/paths/" + escape(route.template()) + "/" + m + "/responses/" + code;
        if (documented.has("$ref")) {
            String ref = documented.get("$ref").asString();
            pointer = ref.substring(1);
            documented = document.at(pointer);
        }
        String contentType = response.headers().firstValue("Content-Type").orElse(null);
        byte[] body = response.body();
        boolean hasBody = body != null && body.length > 0 && !method.equals("head");
        JsonNode content = documented.get("content");
        if (contentType == null || !hasBody) {
            if (hasBody) {
                throw new AssertionError(where + ": a body without Content-Type");
            }
            return;
        }
        String mediaType = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (content == null || content.isEmpty()) {
            throw new AssertionError(where + ": sent " + mediaType + " but " + route.template() + " documents no body for "
                    + status);
        }
        String key = null;
        for (String candidate : names(content)) {
            if (candidate.equals(mediaType) || candidate.equals("*/*")
                    || (candidate.endsWith("/*") && mediaType.startsWith(candidate.substring(0, candidate.length() - 1)))) {
                key = candidate;
                break;
            }
        }
        if (key == null) {
            throw new AssertionError(where + ": Content-Type " + mediaType + " is not documented (documents "
                    + names(content) + ")");
        }
        boolean json = mediaType.equals("application/json") || mediaType.endsWith("+json");
        if (!json || !content.get(key).has("schema")) {
            return;
        }
        String schemaPointer = pointer + "/content/" + escape(key) + "/schema";
        Schema schema = schemas.computeIfAbsent(schemaPointer,
                p -> registry.getSchema(SchemaLocation.of(DOCUMENT.toUri() + "#" + p)));
        JsonNode instance;
        try {
            instance = JSON.readTree(body);
        } catch (RuntimeException e) {
            throw new AssertionError(where + ": the body is not JSON: " + e.getMessage());
        }
        List<Error> errors = schema.validate(instance);
        if (!errors.isEmpty()) {
            StringBuilder message = new StringBuilder(where + ": the body does not match "
                    + schemaPointer.replace("~1", "/") + ":");
            errors.forEach(e -> message.append("\n  ").append(e));
            message.append("\n  body: ").append(new String(body, 0, Math.min(body.length, 2000),
                    java.nio.charset.StandardCharsets.UTF_8));
            throw new AssertionError(message.toString());
        }
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names;
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
