package io.ftpbridge.remotes;

import io.ftpbridge.storage.FileEntry;
import io.ftpbridge.web.InvalidRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

@RestController
@RequestMapping("/api/v1/remotes/{name}")
@Tag(name = "Remote files", description = "Browse and change files on a remote FTP server through its connection pool")
public class RemoteFileController {

    private final RemoteFiles files;
    private final RemoteProbe probe;
    private final RemoteClientPools pools;

    public RemoteFileController(RemoteFiles files, RemoteProbe probe, RemoteClientPools pools) {
        this.files = files;
        this.probe = probe;
        this.pools = pools;
    }

    @PostMapping("/test")
    @Operation(summary = "Connect and log in afresh: welcome, SYST, FEAT, PWD and NOOP round-trip time (ok=false with error on failure)")
    public RemoteProbe.TestResult test(@PathVariable String name) {
        return probe.test(name);
    }

    @GetMapping("/pool")
    @Operation(summary = "Counters of the remote's connection pool")
    public RemoteClientPools.PoolStats pool(@PathVariable String name) {
        return pools.stats(name);
    }

    @GetMapping("/files/{*path}")
    @Operation(summary = "List a remote directory (MLSD where the server has it, else LIST); download=true streams a file")
    public List<FileEntry> list(@PathVariable String name, @PathVariable String path,
                                @RequestParam(defaultValue = "false") boolean download) {
        return files.list(name, path);
    }

    @GetMapping(value = "/files/{*path}", params = "download=true")
    @Operation(summary = "Stream a remote file's bytes through the pool")
    public ResponseEntity<StreamingResponseBody> download(@PathVariable String name, @PathVariable String path) {
        RemoteFiles.Download bytes = files.download(name, path);
        ResponseEntity.BodyBuilder response = ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment");
        if (bytes.size() >= 0) {
            response.contentLength(bytes.size());
        }
        return response.body(bytes::writeTo);
    }

    @PutMapping("/files/{*path}")
    @Operation(summary = "Upload the request body to a remote file (streamed, replaces it)")
    public Map<String, Object> upload(@PathVariable String name, @PathVariable String path, HttpServletRequest request)
            throws IOException {
        long bytes = files.upload(name, path, request.getInputStream());
        return Map.of("path", RemoteFiles.checked(path), "bytes", bytes);
    }

    @PostMapping("/files/{*path}")
    @Operation(summary = "op=mkdir, op=rmdir, or op=rename&to={path}")
    public ResponseEntity<Void> operation(@PathVariable String name, @PathVariable String path, @RequestParam String op,
                                          @RequestParam(required = false) String to) {
        switch (op) {
            case "mkdir" -> files.mkdir(name, path);
            case "rmdir" -> files.rmdir(name, path);
            case "rename" -> files.rename(name, path, to);
            default -> throw new InvalidRequestException("op", "must be mkdir, rmdir or rename");
        }
        return ResponseEntity.status(op.equals("mkdir") ? HttpStatus.CREATED : HttpStatus.NO_CONTENT).build();
    }

    @DeleteMapping("/files/{*path}")
    @Operation(summary = "Delete a remote file; with glob=true the last segment is a pattern (mdelete)")
    public ResponseEntity<RemoteFiles.GlobDeletion> delete(@PathVariable String name, @PathVariable String path,
                                                           @RequestParam(defaultValue = "false") boolean glob) {
        if (glob) {
            return ResponseEntity.ok(files.deleteMatching(name, path));
        }
        files.delete(name, path);
        return ResponseEntity.noContent().build();
    }
}
