package io.ftpbridge.folders;

import io.ftpbridge.storage.InvalidPathException;
import io.ftpbridge.storage.StorageService;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.springframework.web.util.UriUtils;

/**
 * The folder-relative path of a {@code /api/v1/folders/{name}/files/{path}} request, taken from the
 * raw request URI and percent-decoded exactly once. Encoded slashes and backslashes, NUL and
 * absolute-looking paths are refused here; {@code ..} and control characters are refused by
 * {@link StorageService#segments}, the rule the FTP side uses too.
 */
public final class FolderFilePath {

    private FolderFilePath() {
    }

    static String of(HttpServletRequest request, String folder) throws InvalidPathException {
        return after(request, "/api/v1/folders/" + folder + "/files");
    }

    /** The relative path after {@code prefix} (a files endpoint's base, e.g. {@code /api/v1/me/files}). */
    public static String after(HttpServletRequest request, String filesBase) throws InvalidPathException {
        String raw = request.getRequestURI();
        String prefix = request.getContextPath() + filesBase;
        if (!raw.startsWith(prefix)) {
            throw new InvalidPathException(raw, "the path before /files must not be percent-encoded");
        }
        String encoded = raw.substring(prefix.length());
        if (encoded.isEmpty() || encoded.equals("/")) {
            return "";
        }
        encoded = encoded.substring(1);
        String lower = encoded.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c")) {
            throw new InvalidPathException(encoded, "path must not contain encoded slashes or backslashes");
        }
        String path;
        try {
            path = UriUtils.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidPathException(encoded, "path is not validly percent-encoded");
        }
        check(path);
        return path;
    }

    /** The rules for a path given as a parameter ({@code ?to=}), already decoded by the servlet container. */
    public static String ofParameter(String path) throws InvalidPathException {
        String relative = path.startsWith("/") && !path.startsWith("//") ? path.substring(1) : path;
        check(relative);
        return relative;
    }

    private static void check(String path) throws InvalidPathException {
        if (path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) {
            throw new InvalidPathException(path, "path contains a forbidden character");
        }
        if (path.startsWith("/") || path.matches("^[A-Za-z]:(/.*)?$")) {
            throw new InvalidPathException(path, "path must be relative to the folder");
        }
        StorageService.segments(path);
    }
}
