package io.ftpbridge.folders;

import io.ftpbridge.storage.FileEntry;
import io.ftpbridge.storage.StorageService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The files of a folder over HTTP, the same bytes FTP users see. Every path and quota rule is
 * {@link StorageService}'s and the HTTP handling {@link FileTreeHttp}'s (shared with the FTP users'
 * own files endpoint). The path is everything after {@code /files/} in the raw request URI (see
 * {@link FolderFilePath}).
 */
@RestController
@RequestMapping("/api/v1/folders/{name}")
@Tag(name = "Folder files", description = "Browse, download and upload the files of a folder")
public class FolderFileController {

    private static final String FILES = "/files";
    private static final String FILES_PATH = "/files/**";

    private final FolderService folders;
    private final StorageService storage;
    private final FileTreeHttp http;

    public FolderFileController(FolderService folders, StorageService storage, FileTreeHttp http) {
        this.folders = folders;
        this.storage = storage;
        this.http = http;
    }

    @GetMapping({FILES, FILES_PATH})
    @Operation(summary = "List a directory as JSON, or download a file (Range, ETag, Last-Modified)")
    public ResponseEntity<?> get(@PathVariable String name, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        return http.get(tree(name), FolderFilePath.of(request, name), "folder=" + name, request, response);
    }

    @PutMapping(FILES_PATH)
    @Operation(summary = "Upload a file's bytes (streamed to disk); ?append=true appends",
            description = "201 when the file is new, 200 when it was replaced or appended to; the body is the file's entry. "
                    + "A broken or refused upload leaves the file as it was.")
    public ResponseEntity<FileEntry> put(@PathVariable String name,
                                         @RequestParam(defaultValue = "false") boolean append,
                                         HttpServletRequest request) throws IOException {
        return http.put(tree(name), FolderFilePath.of(request, name), append, "folder=" + name, request);
    }

    @PostMapping({FILES, FILES_PATH})
    @Operation(summary = "?op=mkdir creates the directory (201); ?op=rename&to={path} renames within the folder (200)")
    public ResponseEntity<FileEntry> operate(@PathVariable String name, @RequestParam String op,
                                             @RequestParam(required = false) String to,
                                             HttpServletRequest request) throws IOException {
        return http.operate(tree(name), FolderFilePath.of(request, name), op, to, "folder=" + name, request);
    }

    @DeleteMapping(FILES_PATH)
    @Operation(summary = "Delete a file, or a directory: an empty one, or with ?recursive=true its content too (else 409)")
    public ResponseEntity<Void> delete(@PathVariable String name,
                                       @RequestParam(defaultValue = "false") boolean recursive,
                                       HttpServletRequest request) throws IOException {
        return http.delete(tree(name), FolderFilePath.of(request, name), recursive, "folder=" + name, request);
    }

    private FileTree tree(String name) {
        return FileTree.of(storage, folders.storageOf(name));
    }
}
