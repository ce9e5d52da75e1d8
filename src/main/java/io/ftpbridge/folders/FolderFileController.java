package io.ftpbridge.folders;

import io.ftpbridge.storage.FileEntry;
import io.ftpbridge.storage.FolderStorage;
import io.ftpbridge.storage.StorageService;
import io.ftpbridge.storage.UploadMode;
import io.ftpbridge.web.InvalidRequestException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRange;
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
import org.springframework.web.context.request.ServletWebRequest;

/**
 * The files of a folder over HTTP, the same bytes FTP users see. Every path and quota rule is
 * {@link StorageService}'s; this class only speaks HTTP. The path is everything after
 * {@code /files/} in the raw request URI (see {@link FolderFilePath}).
 */
@RestController
@RequestMapping("/api/v1/folders/{name}")
@Tag(name = "Folder files", description = "Browse, download and upload the files of a folder")
public class FolderFileController {

    private static final Logger log = LoggerFactory.getLogger(FolderFileController.class);
    private static final String FILES = "/files";
    private static final String FILES_PATH = "/files/**";

    private final FolderService folders;
    private final StorageService storage;
    private final Counter uploads;
    private final Counter uploadedBytes;
    private final Counter downloads;

    public FolderFileController(FolderService folders, StorageService storage, MeterRegistry meters) {
        this.folders = folders;
        this.storage = storage;
        this.uploads = Counter.builder("ftpbridge.rest.uploads").description("files uploaded over REST").register(meters);
        this.uploadedBytes = Counter.builder("ftpbridge.rest.uploaded").baseUnit("bytes")
                .description("bytes uploaded over REST").register(meters);
        this.downloads = Counter.builder("ftpbridge.rest.downloads").description("file downloads (whole or ranges) over REST")
                .register(meters);
    }

    @GetMapping({FILES, FILES_PATH})
    @Operation(summary = "List a directory as JSON, or download a file (Range, ETag, Last-Modified)")
    public ResponseEntity<?> get(@PathVariable String name, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        FolderStorage folder = folders.storageOf(name);
        String path = FolderFilePath.of(request, name);
        FileEntry entry = storage.stat(folder, path);
        if (entry.type() == FileEntry.Type.DIRECTORY) {
            List<FileEntry> listing = storage.list(folder, path);
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(listing);
        }
        Path file = storage.readableFile(folder, path);
        FileSystemResource resource = new FileSystemResource(file);
        String range = request.getHeader(HttpHeaders.RANGE);
        if (range != null && !satisfiable(range, resource)) {
            // Spring MVC would set 416 but still write the whole file as the body
            log.info("REST download refused: user={} address={} folder={} path={} range={} (not satisfiable)",
                    request.getRemoteUser(), request.getRemoteAddr(), name, path, range);
            return ResponseEntity.status(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                    .header(HttpHeaders.CONTENT_RANGE, "bytes */" + entry.size())
                    .header(HttpHeaders.ACCEPT_RANGES, "bytes")
                    .build();
        }
        downloads.increment();
        log.info("REST download: user={} address={} folder={} path={} size={} range={}", request.getRemoteUser(),
                request.getRemoteAddr(), name, path, entry.size(), request.getHeader("Range"));
        String etag = "\"%x-%x\"".formatted(entry.size(), entry.modified().toEpochMilli());
        if (TomcatSendfile.applies(request, entry.size())) {
            if (new ServletWebRequest(request, response).checkNotModified(etag, entry.modified().toEpochMilli())) {
                return null; // 304 or 412, headers set
            }
            response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
            response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
            response.setHeader(HttpHeaders.CACHE_CONTROL, CacheControl.noCache().getHeaderValue());
            TomcatSendfile.send(request, response, file, entry.size());
            return null;
        }
        // Spring MVC answers Range requests for a Resource body itself: 206 with Content-Range, or
        // 416 with "Content-Range: bytes */size"; the bytes are streamed, never loaded whole.
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .eTag(etag)
                .lastModified(entry.modified())
                .cacheControl(CacheControl.noCache())
                .body(resource);
    }

    /** Whether Spring MVC can serve the Range header for this file (parsable, and within it). */
    private static boolean satisfiable(String range, FileSystemResource resource) {
        try {
            HttpRange.toResourceRegions(HttpRange.parseRanges(range), resource);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @PutMapping(FILES_PATH)
    @Operation(summary = "Upload a file's bytes (streamed to disk); ?append=true appends",
            description = "201 when the file is new, 200 when it was replaced or appended to; the body is the file's entry. "
                    + "A broken or refused upload leaves the file as it was.")
    public ResponseEntity<FileEntry> put(@PathVariable String name,
                                         @RequestParam(defaultValue = "false") boolean append,
                                         HttpServletRequest request) throws IOException {
        FolderStorage folder = folders.storageOf(name);
        String path = FolderFilePath.of(request, name);
        UploadMode mode = append ? UploadMode.APPEND : UploadMode.REPLACE;
        StorageService.StoredFile stored;
        try {
            stored = storage.store(folder, path, mode, request.getInputStream(), request.getContentLengthLong());
        } catch (IOException e) {
            log.info("REST upload refused: user={} address={} folder={} path={} reason={}", request.getRemoteUser(),
                    request.getRemoteAddr(), name, path, e.getMessage());
            throw e;
        }
        uploads.increment();
        uploadedBytes.increment(stored.bytesWritten());
        log.info("REST upload: user={} address={} folder={} path={} mode={} bytes={}", request.getRemoteUser(),
                request.getRemoteAddr(), name, path, mode, stored.bytesWritten());
        if (stored.created()) {
            return ResponseEntity.created(URI.create(request.getRequestURI())).body(stored.entry());
        }
        return ResponseEntity.ok(stored.entry());
    }

    @PostMapping({FILES, FILES_PATH})
    @Operation(summary = "?op=mkdir creates the directory (201); ?op=rename&to={path} renames within the folder (200)")
    public ResponseEntity<FileEntry> operate(@PathVariable String name, @RequestParam String op,
                                             @RequestParam(required = false) String to,
                                             HttpServletRequest request) throws IOException {
        FolderStorage folder = folders.storageOf(name);
        String path = FolderFilePath.of(request, name);
        switch (op) {
            case "mkdir" -> {
                storage.mkdir(folder, path);
                log.info("REST mkdir: user={} address={} folder={} path={}", request.getRemoteUser(),
                        request.getRemoteAddr(), name, path);
                return ResponseEntity.created(URI.create(request.getRequestURI())).body(storage.stat(folder, path));
            }
            case "rename" -> {
                if (to == null || to.isBlank()) {
                    throw new InvalidRequestException("to", "rename needs the new path in ?to=");
                }
                String target = FolderFilePath.ofParameter(to);
                storage.rename(folder, path, target);
                log.info("REST rename: user={} address={} folder={} path={} to={}", request.getRemoteUser(),
                        request.getRemoteAddr(), name, path, target);
                return ResponseEntity.ok(storage.stat(folder, target));
            }
            default -> throw new InvalidRequestException("op", "must be mkdir or rename");
        }
    }

    @DeleteMapping(FILES_PATH)
    @Operation(summary = "Delete a file, or a directory: an empty one, or with ?recursive=true its content too (else 409)")
    public ResponseEntity<Void> delete(@PathVariable String name,
                                       @RequestParam(defaultValue = "false") boolean recursive,
                                       HttpServletRequest request) throws IOException {
        FolderStorage folder = folders.storageOf(name);
        String path = FolderFilePath.of(request, name);
        storage.delete(folder, path, recursive);
        log.info("REST delete: user={} address={} folder={} path={} recursive={}", request.getRemoteUser(),
                request.getRemoteAddr(), name, path, recursive);
        return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
    }
}
