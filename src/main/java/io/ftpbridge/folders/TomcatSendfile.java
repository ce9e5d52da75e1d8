package io.ftpbridge.folders;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.file.Path;

/**
 * Whole-file downloads through Tomcat's sendfile: the connector copies the file to the socket in
 * the kernel once the response is committed, as vsftpd does with sendfile(2), instead of the
 * servlet copying it through 8 KiB buffers. Only plain GETs without Range on a connector that
 * offers it (not over TLS); everything else goes through Spring's resource handling.
 */
final class TomcatSendfile {

    private static final String SUPPORTED = "org.apache.tomcat.sendfile.support";
    private static final String FILENAME = "org.apache.tomcat.sendfile.filename";
    private static final String START = "org.apache.tomcat.sendfile.start";
    private static final String END = "org.apache.tomcat.sendfile.end";
    /** Below this, the ordinary copy costs less than setting up sendfile. */
    private static final long MIN_SIZE = 64 * 1024;

    private TomcatSendfile() {
    }

    static boolean applies(HttpServletRequest request, long size) {
        return "GET".equals(request.getMethod()) && request.getHeader("Range") == null && size >= MIN_SIZE
                && Boolean.TRUE.equals(request.getAttribute(SUPPORTED));
    }

    /** Hands the file to the connector; the caller has set status and headers and writes no body. */
    static void send(HttpServletRequest request, HttpServletResponse response, Path file, long size) {
        response.setContentLengthLong(size);
        request.setAttribute(FILENAME, file.toAbsolutePath().toString());
        request.setAttribute(START, 0L);
        request.setAttribute(END, size);
    }
}
