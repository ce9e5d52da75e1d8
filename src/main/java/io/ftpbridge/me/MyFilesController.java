package io.ftpbridge.me;

import io.ftpbridge.folders.FileTree;
import io.ftpbridge.folders.FileTreeHttp;
import io.ftpbridge.folders.FolderFilePath;
import io.ftpbridge.security.Caller;
import io.ftpbridge.storage.FileEntry;
import io.ftpbridge.storage.StorageService;
import io.ftpbridge.storage.UserFileSystem;
import io.ftpbridge.users.UserService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An FTP user's own tree over HTTP: the tree of its FTP session (mounts, permissions, quotas, built
 * by {@link UserFileSystem}, the class the FTP server uses) with the HTTP handling of the folder
 * files endpoint ({@link FileTreeHttp}).
 */
@RestController
@RequestMapping("/api/v1/me")
@Tag(name = "My files", description = "An FTP user's own tree, under the same rules as its FTP session")
public class MyFilesController {

    private static final String BASE = "/api/v1/me/files";

    private final UserService users;
    private final StorageService storage;
    private final FileTreeHttp http;

    public MyFilesController(UserService users, StorageService storage, FileTreeHttp http) {
        this.users = users;
        this.storage = storage;
        this.http = http;
    }

    @GetMapping({"/files", "/files/**"})
    @Operation(summary = "List a directory of my tree as JSON, or download a file (Range, ETag, Last-Modified)",
            description = "Needs LIST (listing) or READ (download) on the mount the path lands in.")
    public ResponseEntity<?> get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        return http.get(tree(request), FolderFilePath.after(request, BASE), where(), request, response);
    }

    @PutMapping("/files/**")
    @Operation(summary = "Upload a file into my tree (streamed); ?append=true appends",
            description = "Needs WRITE (APPEND or WRITE to append); the folder's quota applies (507). "
                    + "201 when the file is new, 200 when replaced or appended to.")
    public ResponseEntity<FileEntry> put(@RequestParam(defaultValue = "false") boolean append,
                                         HttpServletRequest request) throws IOException {
        return http.put(tree(request), FolderFilePath.after(request, BASE), append, where(), request);
    }

    @PostMapping({"/files", "/files/**"})
    @Operation(summary = "?op=mkdir (MKDIR) creates a directory (201); ?op=rename&to={path} (RENAME at both ends, one folder) renames (200)")
    public ResponseEntity<FileEntry> operate(@RequestParam String op, @RequestParam(required = false) String to,
                                             HttpServletRequest request) throws IOException {
        return http.operate(tree(request), FolderFilePath.after(request, BASE), op, to, where(), request);
    }

    @DeleteMapping("/files/**")
    @Operation(summary = "Delete a file (DELETE) or a directory (RMDIR; ?recursive=true also needs DELETE)")
    public ResponseEntity<Void> delete(@RequestParam(defaultValue = "false") boolean recursive,
                                       HttpServletRequest request) throws IOException {
        return http.delete(tree(request), FolderFilePath.after(request, BASE), recursive, where(), request);
    }

    /** The tree as the user's FTP login would build it now (enabled and allowed from this address). */
    private FileTree tree(HttpServletRequest request) throws IOException {
        Caller caller = Caller.current();
        UserService.LoginResult access = users.checkAccess(caller.username(), InetAddress.getByName(request.getRemoteAddr()));
        if (!access.ok()) {
            throw new AccessDeniedException("the account is disabled or not allowed from this address");
        }
        return FileTree.of(new UserFileSystem(caller.username(), access.login().mounts(), storage, "REST"));
    }

    private static String where() {
        return "tree=own";
    }
}
