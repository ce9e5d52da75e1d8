package io.ftpbridge.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at {@code /v3/api-docs} (committed as {@code openapi/ftpbridge.yaml}): info,
 * and the RFC 9457 error responses added to every operation here, once, so that controllers only
 * describe their own success cases. Security schemes and each operation's roles are added by
 * {@code security/OpenApiSecurity}.
 */
@Configuration
public class OpenApiConfig {

    static final String PROBLEM = "Problem";
    static final String PROBLEM_JSON = "application/problem+json";

    /** The error responses every operation may give, by status code. */
    private enum ErrorResponse {
        BAD_REQUEST("400", "BadRequest", "Invalid request",
                "The request is malformed or fails validation; `errors` lists the offending fields.",
                "request validation failed", true),
        UNAUTHORIZED("401", "Unauthorized", "Unauthorized",
                "No credentials, or wrong, expired or revoked ones.",
                "credentials are missing, wrong, expired or revoked: HTTP Basic, a Bearer token or an API key is required", false),
        FORBIDDEN("403", "Forbidden", "Forbidden",
                "The account may not call this operation, or the storage rules refuse the path.",
                "this account may not do that", false),
        NOT_FOUND("404", "NotFound", "Not found",
                "The named resource (or file) does not exist.",
                "no user named 'alice'", false),
        CONFLICT("409", "Conflict", "Conflict",
                "The change conflicts with the current state (a duplicate name, a folder still mounted, a concurrent update).",
                "a user named 'alice' already exists", false),
        TOO_MANY_REQUESTS("429", "TooManyRequests", "Too Many Requests",
                "Too many failed logins from this address or for this account; `Retry-After` says when to try again.",
                "too many failed logins; retry later", false),
        BAD_GATEWAY("502", "BadGateway", "Remote server refused",
                "The remote FTP server refused the login or the command, or could not be reached.",
                "550 No such file or directory", false),
        GATEWAY_TIMEOUT("504", "GatewayTimeout", "Remote server timed out",
                "The remote FTP server did not answer in time.",
                "connect timed out", false),
        INSUFFICIENT_STORAGE("507", "InsufficientStorage", "Quota exceeded",
                "The folder's quota (bytes or files) does not allow this upload.",
                "quota of folder 'docs' exceeded", false),
        SERVICE_UNAVAILABLE("503", "ServiceUnavailable", "Service unavailable",
                "A dependency (database, FTP listener, remote server) is not available right now; retry later.",
                "the FTP server is not running", false);

        final String code;
        final String component;
        final String title;
        final String description;
        final String exampleDetail;
        final boolean withFieldErrors;

        ErrorResponse(String code, String component, String title, String description, String exampleDetail,
                      boolean withFieldErrors) {
            this.code = code;
            this.component = component;
            this.title = title;
            this.description = description;
            this.exampleDetail = exampleDetail;
            this.withFieldErrors = withFieldErrors;
        }

        ApiResponse definition() {
            Map<String, Object> example = new LinkedHashMap<>();
            example.put("type", "about:blank");
            example.put("title", title);
            example.put("status", Integer.parseInt(code));
            example.put("detail", exampleDetail);
            if (withFieldErrors) {
                example.put("errors", List.of(Map.of("field", "username", "message", "must match \"[A-Za-z0-9._-]+\"")));
            }
            return new ApiResponse().description(description).content(new Content().addMediaType(PROBLEM_JSON,
                    new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)).example(example)));
        }
    }

    @Bean
    OpenAPI ftpbridgeOpenApi() {
        // security schemes and each operation's allowed roles: security/OpenApiSecurity
        Components components = new Components().addSchemas(PROBLEM, problemSchema());
        for (ErrorResponse error : ErrorResponse.values()) {
            components.addResponses(error.component, error.definition());
        }
        return new OpenAPI()
                .info(new Info().title("ftpbridge REST API").version("v1")
                        .description("""
                                Manage the embedded FTP server (users, virtual folders, files, live sessions) and \
                                the FTP client side (remote servers, transfer jobs) of one ftpbridge instance.

                                Every operation needs credentials: HTTP Basic (administrator accounts and FTP users), \
                                `Authorization: Bearer` with a token (`POST /api/v1/auth/token`) or an API key, or \
                                `X-API-Key`. Each operation states the roles allowed (`x-allowed-roles`). Errors are \
                                RFC 9457 problem details (`application/problem+json`). Lists are paged with \
                                `?page=0&size=50` and answer `{items, page, size, total}`.""")
                        .license(new License().name("Apache-2.0").url("https://www.apache.org/licenses/LICENSE-2.0")))
                // a relative server keeps the document the same on every host and port
                .servers(List.of(new Server().url("/").description("this ftpbridge instance")))
                .components(components);
    }

    /** Stable operation ids ({@code listUser}, {@code createFolder}) instead of springdoc's order-dependent {@code list_1}. */
    @Bean
    OperationCustomizer stableOperationIds() {
        return (operation, handlerMethod) -> {
            String method = handlerMethod.getMethod().getName();
            // an id chosen in @Operation(operationId = ...) is kept
            if (operation.getOperationId() == null || operation.getOperationId().matches(method + "(_\\d+)?")) {
                String controller = handlerMethod.getBeanType().getSimpleName().replaceFirst("Controller$", "");
                operation.setOperationId(method + controller);
            }
            return operation;
        };
    }

    /** Adds the problem-detail error responses to every operation and sorts the tags. */
    @Bean
    OpenApiCustomizer problemResponses() {
        return openApi -> {
            if (openApi.getPaths() != null) {
                openApi.getPaths().forEach((path, item) -> item.readOperationsMap()
                        .forEach((method, operation) -> addErrorResponses(path, method, operation)));
            }
            if (openApi.getTags() != null) {
                List<Tag> tags = new ArrayList<>(openApi.getTags());
                tags.sort(Comparator.comparing(Tag::getName));
                openApi.setTags(tags);
            }
        };
    }

    private static void addErrorResponses(String path, PathItem.HttpMethod method, Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        if (method == PathItem.HttpMethod.POST && path.matches("/api/v1/[^/{]+")) {
            describeCreation(path, operation.getResponses());
        }
        boolean hasInput = operation.getRequestBody() != null
                || (operation.getParameters() != null && !operation.getParameters().isEmpty());
        boolean changes = method != PathItem.HttpMethod.GET && method != PathItem.HttpMethod.HEAD;
        add(operation, ErrorResponse.UNAUTHORIZED);
        add(operation, ErrorResponse.FORBIDDEN);
        add(operation, ErrorResponse.SERVICE_UNAVAILABLE);
        // the login guard answers any request with failed HTTP Basic logins behind it
        add(operation, ErrorResponse.TOO_MANY_REQUESTS);
        if (path.startsWith("/api/v1/remotes/{name}/files")) {
            add(operation, ErrorResponse.BAD_GATEWAY);
            add(operation, ErrorResponse.GATEWAY_TIMEOUT);
        }
        if (hasInput) {
            add(operation, ErrorResponse.BAD_REQUEST);
        }
        if (path.contains("{")) {
            add(operation, ErrorResponse.NOT_FOUND);
        }
        if (changes) {
            add(operation, ErrorResponse.CONFLICT);
        }
    }

    /**
     * A POST on a collection answers 201 + Location (a transfer job: 202 + Location, it runs later);
     * springdoc cannot see that in a {@code ResponseEntity} and documents 200.
     */
    private static void describeCreation(String path, ApiResponses responses) {
        ApiResponse ok = responses.get("200");
        if (ok == null || responses.containsKey("201") || responses.containsKey("202")) {
            return;
        }
        boolean queued = path.endsWith("/transfers");
        responses.remove("200");
        responses.addApiResponse(queued ? "202" : "201", ok
                .description(queued ? "Accepted: the job is queued; Location names it" : "Created; Location names the new resource")
                .addHeaderObject("Location", new Header().description("the URL of the new resource")
                        .schema(new StringSchema().format("uri-reference"))));
    }

    private static void add(Operation operation, ErrorResponse error) {
        ApiResponses responses = operation.getResponses();
        ApiResponse existing = responses.get(error.code);
        if (existing == null || existing.getContent() == null || existing.getContent().isEmpty()
                || existing.getContent().containsKey("*/*")) {
            responses.addApiResponse(error.code, new ApiResponse().$ref("#/components/responses/" + error.component));
        }
    }

    private static Schema<?> problemSchema() {
        Schema<?> fieldError = new ObjectSchema()
                .addProperty("field", new StringSchema().description("the request field (or parameter) at fault"))
                .addProperty("message", new StringSchema().description("what is wrong with it"));
        return new ObjectSchema()
                .description("An RFC 9457 problem detail.")
                .addProperty("type", new StringSchema().description("a URI naming the problem type").example("about:blank"))
                .addProperty("title", new StringSchema().description("short summary of the problem type"))
                .addProperty("status", new IntegerSchema().description("the HTTP status code"))
                .addProperty("detail", new StringSchema().description("what went wrong in this occurrence"))
                .addProperty("instance", new StringSchema().description("the request path"))
                .addProperty("errors", new ArraySchema().items(fieldError)
                        .description("validation errors, one per offending field"))
                .required(List.of("title", "status"));
    }
}
