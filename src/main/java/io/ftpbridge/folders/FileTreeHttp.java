package io.ftpbridge.folders;

import io.ftpbridge.storage.FileEntry;
import io.ftpbridge.storage.StorageCaller;
import io.ftpbridge.storage.StorageService;
import io.ftpbridge.storage.UploadMode;
import io.ftpbridge.web.InvalidRequestException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.support.ResourceRegion;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRange;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.ServletWebRequest;

/**
 * The HTTP side of a files endpoint (a folder's, or an FTP user's own tree): JSON listings, Range
 * and ETag downloads, streamed uploads, mkdir, rename and delete over a {@link FileTree}, which
 * holds every rule. {@code where} names the tree in the log lines ({@code folder=x} or {@code tree=user}).
 */
@Component
public class FileTreeHttp {

    private static final Logger log = LoggerFactory.getLogger(FileTreeHttp.class);

    private final Counter uploads;
    private final Counter uploadedBytes;
    private final Counter downloads;

    public FileTreeHttp(MeterRegistry meters) {
        this.uploads = Counter.builder("ftpbridge.rest.uploads").description("files uploaded over REST").register(meters);
        this.uploadedBytes = Counter.builder("ftpbridge.rest.uploaded").baseUnit("bytes")
                .description("bytes uploaded over REST").register(meters);
        this.downloads = Counter.builder("ftpbridge.rest.downloads").description("file downloads (whole or ranges) over REST")
                .register(meters);
    }

    public ResponseEntity<?> get(FileTree tree, String path, String where, HttpServletRequest request,
                                 HttpServletResponse response) throws IOException {
        FileEntry entry = tree.stat(path);
        if (entry.type() == FileEntry.Type.DIRECTORY) {
            List<FileEntry> listing = tree.list(path);
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(listing);
        }
        Path file = tree.readableFile(path);
        FileSystemResource resource = new FileSystemResource(file);
        String range = request.getHeader(HttpHeaders.RANGE);
        if (range != null && !satisfiable(range, resource)) {
            // Spring MVC would set 416 but still write the whole file as the body
            log.info("REST download refused: user={} address={} {} path={} range={} (not satisfiable)",
                    request.getRemoteUser(), request.getRemoteAddr(), where, path, range);
            return ResponseEntity.status(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                    .header(HttpHeaders.CONTENT_RANGE, "bytes */" + entry.size())
                    .header(HttpHeaders.ACCEPT_RANGES, "bytes")
                    .build();
        }
        downloads.increment();
        log.info("REST download: user={} address={} {} path={} size={} range={}", request.getRemoteUser(),
                request.getRemoteAddr(), where, path, entry.size(), range);
        StorageCaller caller = StorageCaller.current();
        SentDownloads.expect(request, status -> {
            long bytes = status == HttpStatus.PARTIAL_CONTENT.value() ? rangeBytes(range, resource) : entry.size();
            caller.run(() -> {
                tree.downloaded(path, bytes);
                return null;
            });
        });
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
        // Spring MVC answers Range requests for a Resource body itself: 206 with Content-Range; the
        // bytes are streamed, never loaded whole.
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

    /** The bytes a 206 carries: the sum of its ranges. */
    private static long rangeBytes(String range, FileSystemResource resource) {
        return HttpRange.toResourceRegions(HttpRange.parseRanges(range), resource).stream().mapToLong(ResourceRegion::getCount).sum();
    }

    public ResponseEntity<FileEntry> put(FileTree tree, String path, boolean append, String where,
                                         HttpServletRequest request) throws IOException {
        UploadMode mode = append ? UploadMode.APPEND : UploadMode.REPLACE;
        StorageService.StoredFile stored;
        try {
            ServletInputStream body = request.getInputStream();
            stored = tree.store(path, mode, body::read, request.getContentLengthLong());
        } catch (IOException | RuntimeException e) {
            log.info("REST upload refused: user={} address={} {} path={} reason={}", request.getRemoteUser(),
                    request.getRemoteAddr(), where, path, e.getMessage());
            throw e;
        }
        uploads.increment();
        uploadedBytes.increment(stored.bytesWritten());
        log.info("REST upload: user={} address={} {} path={} mode={} bytes={}", request.getRemoteUser(),
                request.getRemoteAddr(), where, path, mode, stored.bytesWritten());
        if (stored.created()) {
            return ResponseEntity.created(URI.create(request.getRequestURI())).body(stored.entry());
        }
        return ResponseEntity.ok(stored.entry());
    }

    public ResponseEntity<FileEntry> operate(FileTree tree, String path, String op, String to, String where,
                                             HttpServletRequest request) throws IOException {
        switch (op) {
            case "mkdir" -> {
                tree.mkdir(path);
                log.info("REST mkdir: user={} address={} {} path={}", request.getRemoteUser(), request.getRemoteAddr(), where, path);
                return ResponseEntity.created(URI.create(request.getRequestURI())).body(tree.stat(path));
            }
            case "rename" -> {
                if (to == null || to.isBlank()) {
                    throw new InvalidRequestException("to", "rename needs the new path in ?to=");
                }
                String target = FolderFilePath.ofParameter(to);
                tree.rename(path, target);
                log.info("REST rename: user={} address={} {} path={} to={}", request.getRemoteUser(),
                        request.getRemoteAddr(), where, path, target);
                return ResponseEntity.ok(tree.stat(target));
            }
            default -> throw new InvalidRequestException("op", "must be mkdir or rename");
        }
    }

    public ResponseEntity<Void> delete(FileTree tree, String path, boolean recursive, String where,
                                       HttpServletRequest request) throws IOException {
        tree.delete(path, recursive);
        log.info("REST delete: user={} address={} {} path={} recursive={}", request.getRemoteUser(),
                request.getRemoteAddr(), where, path, recursive);
        return ResponseEntity.status(HttpStatus.NO_CONTENT).build();
    }
}
