package io.ftpbridge.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BinarySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The file endpoints in the OpenAPI document. The controllers map {@code /files/**} (folders, my
 * files) or {@code /files/{*path}} (remotes) and read the raw path from the request URI, which
 * springdoc documents as a literal {@code **} beside a duplicate {@code /files} entry. Here each tree
 * becomes one {@code .../files} operation for its root listing and {@code .../files/{path}} with one
 * {@code path} parameter for everything under it, and each operation lists what it really answers
 * (201/204, 206/304/416 for downloads, JSON listing or bytes).
 */
@Configuration
public class OpenApiFilePaths {

    /** The file trees: folder files, an FTP user's own files, remote files. */
    private static final List<String> TREES = List.of(
            "/api/v1/folders/{name}/files", "/api/v1/me/files", "/api/v1/remotes/{name}/files");

    @Bean
    OpenApiCustomizer filePaths() {
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            Paths rewritten = new Paths();
            openApi.getPaths().forEach((path, item) -> {
                if (!TREES.contains(path) && TREES.stream().noneMatch(t -> path.startsWith(t + "/"))) {
                    rewritten.addPathItem(path, item);
                }
            });
            for (String tree : TREES) {
                PathItem all = openApi.getPaths().get(tree + "/**");
                if (all == null) {
                    all = openApi.getPaths().get(tree + "/{path}");
                }
                if (all == null) {
                    continue;
                }
                boolean remote = tree.startsWith("/api/v1/remotes/");
                PathItem underPath = remote ? remoteFiles(all) : localFiles(all);
                underPath.readOperations().forEach(OpenApiFilePaths::withPathParameter);
                // a bad path (400), a missing file or folder (404), a path through a file or a busy file (409)
                underPath.readOperations().forEach(operation -> errors(operation, "400", "BadRequest", "404", "NotFound",
                        "409", "Conflict"));
                PathItem root = new PathItem().get(rootListing(underPath.getGet(), remote));
                errors(root.getGet(), "404", "NotFound");
                rewritten.addPathItem(tree, root);
                rewritten.addPathItem(tree + "/{path}", underPath);
            }
            openApi.setPaths(sorted(rewritten));
            addSchemas(openApi);
        };
    }

    private static Paths sorted(Paths paths) {
        Paths result = new Paths();
        paths.keySet().stream().sorted().forEach(key -> result.addPathItem(key, paths.get(key)));
        return result;
    }

    private static void addSchemas(OpenAPI openApi) {
        if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
            return;
        }
        if (!openApi.getComponents().getSchemas().containsKey("RemoteUpload")) {
            openApi.getComponents().addSchemas("RemoteUpload", new ObjectSchema()
                    .description("A finished upload to a remote server.")
                    .addProperty("path", new StringSchema().description("the remote path written"))
                    .addProperty("bytes", new IntegerSchema().format("int64").description("bytes sent"))
                    .required(List.of("path", "bytes")));
        }
    }

    /** A folder's files and an FTP user's own files: {@code FileTreeHttp}'s answers. */
    private static PathItem localFiles(PathItem item) {
        Operation get = item.getGet();
        if (get != null) {
            ApiResponses responses = keepErrors(get.getResponses());
            responses.addApiResponse("200", new ApiResponse()
                    .description("A directory: its entries as JSON. A file: its bytes (ETag, Last-Modified, Accept-Ranges).")
                    .content(new Content()
                            .addMediaType("application/json", new MediaType().schema(fileEntries()))
                            .addMediaType("application/octet-stream", new MediaType().schema(new BinarySchema()))));
            responses.addApiResponse("206", new ApiResponse()
                    .description("The requested byte range(s) of a file (`Range`), with `Content-Range`.")
                    .addHeaderObject("Content-Range", new Header().schema(new StringSchema()))
                    .content(new Content()
                            .addMediaType("application/octet-stream", new MediaType().schema(new BinarySchema()))
                            .addMediaType("multipart/byteranges", new MediaType().schema(new BinarySchema()))));
            responses.addApiResponse("304", new ApiResponse()
                    .description("Not modified: the file still matches `If-None-Match` / `If-Modified-Since`."));
            responses.addApiResponse("416", new ApiResponse()
                    .description("The `Range` lies outside the file; `Content-Range: bytes */<size>` gives its size.")
                    .addHeaderObject("Content-Range", new Header().schema(new StringSchema())));
            sortResponses(get, responses);
            get.summary("List a directory as JSON, or download a file (Range, ETag, Last-Modified)");
        }
        if (item.getPut() != null) {
            ApiResponses responses = keepErrors(item.getPut().getResponses());
            responses.addApiResponse("200", fileEntry("Replaced or appended to; the file's entry"));
            responses.addApiResponse("201", fileEntry("Created; the file's entry")
                    .addHeaderObject("Location", new Header().description("the URL of the file")
                            .schema(new StringSchema().format("uri-reference"))));
            responses.addApiResponse("507", new ApiResponse().$ref("#/components/responses/InsufficientStorage"));
            sortResponses(item.getPut(), responses);
            item.getPut().requestBody(new io.swagger.v3.oas.models.parameters.RequestBody().required(true)
                    .description("the file's bytes, streamed").content(new Content()
                            .addMediaType("application/octet-stream", new MediaType().schema(new BinarySchema()))));
        }
        if (item.getPost() != null) {
            ApiResponses responses = keepErrors(item.getPost().getResponses());
            responses.addApiResponse("200", fileEntry("Renamed; the entry at its new path"));
            responses.addApiResponse("201", fileEntry("Directory created; its entry"));
            sortResponses(item.getPost(), responses);
        }
        if (item.getDelete() != null) {
            ApiResponses responses = keepErrors(item.getDelete().getResponses());
            responses.addApiResponse("204", new ApiResponse().description("Deleted"));
            sortResponses(item.getDelete(), responses);
        }
        return item;
    }

    /** A remote server's files: {@code remotes/RemoteFileController}'s answers, and 502/504 from the remote. */
    private static PathItem remoteFiles(PathItem item) {
        Operation get = item.getGet();
        if (get != null) {
            ApiResponses responses = keepErrors(get.getResponses());
            responses.addApiResponse("200", new ApiResponse()
                    .description("The directory's entries as JSON, or with `download=true` the file's bytes.")
                    .content(new Content()
                            .addMediaType("application/json", new MediaType().schema(fileEntries()))
                            .addMediaType("application/octet-stream", new MediaType().schema(new BinarySchema()))));
            sortResponses(get, responses);
            get.operationId("getRemoteFile")
                    .summary("List a remote directory (MLSD where the server has it, else LIST); download=true streams a file");
            if (get.getParameters() != null && get.getParameters().stream().noneMatch(p -> "download".equals(p.getName()))) {
                get.addParametersItem(new Parameter().in("query").name("download").required(false)
                        .description("true: stream the file's bytes instead of listing")
                        .schema(new Schema<Boolean>().type("boolean")._default(false)));
            }
        }
        if (item.getPut() != null) {
            ApiResponses responses = keepErrors(item.getPut().getResponses());
            responses.addApiResponse("200", new ApiResponse().description("Uploaded").content(new Content()
                    .addMediaType("application/json", new MediaType()
                            .schema(new Schema<>().$ref("#/components/schemas/RemoteUpload")))));
            sortResponses(item.getPut(), responses);
            item.getPut().requestBody(new io.swagger.v3.oas.models.parameters.RequestBody().required(true)
                    .description("the file's bytes, streamed").content(new Content()
                            .addMediaType("application/octet-stream", new MediaType().schema(new BinarySchema()))));
        }
        if (item.getPost() != null) {
            ApiResponses responses = keepErrors(item.getPost().getResponses());
            responses.addApiResponse("201", new ApiResponse().description("Directory created (op=mkdir)"));
            responses.addApiResponse("204", new ApiResponse().description("Removed or renamed (op=rmdir, op=rename)"));
            sortResponses(item.getPost(), responses);
        }
        if (item.getDelete() != null) {
            ApiResponse glob = item.getDelete().getResponses() == null ? null : item.getDelete().getResponses().get("200");
            ApiResponses responses = keepErrors(item.getDelete().getResponses());
            responses.addApiResponse("200", new ApiResponse().description("glob=true: what was deleted")
                    .content(glob != null && glob.getContent() != null ? glob.getContent() : new Content()));
            responses.addApiResponse("204", new ApiResponse().description("Deleted"));
            sortResponses(item.getDelete(), responses);
        }
        return item;
    }

    /** The root listing: the GET without a {@code path} parameter and without the download bodies. */
    private static Operation rootListing(Operation get, boolean remote) {
        Operation root = new Operation()
                .operationId("list" + capitalized(get.getOperationId()).replaceFirst("^Get", "Root"))
                .summary(remote ? "List the remote user's starting directory" : "List the root directory as JSON")
                .description(get.getDescription())
                .tags(get.getTags())
                .security(get.getSecurity())
                .extensions(get.getExtensions() == null ? null : new LinkedHashMap<>(get.getExtensions()));
        List<Parameter> parameters = new ArrayList<>();
        if (get.getParameters() != null) {
            get.getParameters().stream()
                    .filter(p -> !"path".equals(p.getName()) && !"download".equals(p.getName()))
                    .forEach(parameters::add);
        }
        root.setParameters(parameters.isEmpty() ? null : parameters);
        ApiResponses responses = new ApiResponses();
        get.getResponses().forEach((code, response) -> {
            if (code.equals("200")) {
                responses.addApiResponse(code, new ApiResponse().description("The directory's entries")
                        .content(new Content().addMediaType("application/json", new MediaType().schema(fileEntries()))));
            } else if (!List.of("206", "304", "416").contains(code)) {
                responses.addApiResponse(code, response);
            }
        });
        root.setResponses(responses);
        return root;
    }

    private static void withPathParameter(Operation operation) {
        List<Parameter> parameters = operation.getParameters() == null ? new ArrayList<>()
                : new ArrayList<>(operation.getParameters());
        parameters.removeIf(p -> "path".equals(p.getName()) && "path".equals(p.getIn()));
        int afterName = (int) parameters.stream().filter(p -> "name".equals(p.getName()) && "path".equals(p.getIn())).count();
        parameters.add(afterName, new Parameter().in("path").name("path").required(true)
                .description("The file or directory path: one or more segments separated by `/`, sent as they are "
                        + "(slashes not encoded; other reserved characters percent-encoded), e.g. `reports/2024/q1.csv`.")
                .schema(new StringSchema())
                .example("reports/2024/q1.csv"));
        operation.setParameters(parameters);
    }

    /** The error responses (4xx/5xx) an operation already lists; success answers are set by the caller. */
    private static ApiResponses keepErrors(ApiResponses responses) {
        ApiResponses kept = new ApiResponses();
        if (responses != null) {
            responses.forEach((code, response) -> {
                if (code.startsWith("4") || code.startsWith("5")) {
                    kept.addApiResponse(code, response);
                }
            });
        }
        return kept;
    }

    /** Adds error responses (status, component name pairs) an operation does not list yet, in status order. */
    private static void errors(Operation operation, String... statusAndComponent) {
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        for (int i = 0; i < statusAndComponent.length; i += 2) {
            if (!responses.containsKey(statusAndComponent[i])) {
                responses.addApiResponse(statusAndComponent[i],
                        new ApiResponse().$ref("#/components/responses/" + statusAndComponent[i + 1]));
            }
        }
        sortResponses(operation, responses);
    }

    private static void sortResponses(Operation operation, ApiResponses responses) {
        ApiResponses sorted = new ApiResponses();
        responses.keySet().stream().sorted().forEach(code -> sorted.addApiResponse(code, responses.get(code)));
        operation.setResponses(sorted);
    }

    private static ApiResponse fileEntry(String description) {
        return new ApiResponse().description(description).content(new Content().addMediaType("application/json",
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/FileEntry"))));
    }

    private static Schema<?> fileEntries() {
        return new ArraySchema().items(new Schema<>().$ref("#/components/schemas/FileEntry"));
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
