package io.ftpbridge.folders;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * A REST download becomes a file action (FILE_DOWNLOADED, as FTP's RETR) once its response is
 * written without an error: a 200 or 206, not a 304, 416, HEAD or a broken-off body. Spring writes a
 * resource body before {@code afterCompletion}; a sendfile body is handed to Tomcat by then.
 */
@Component
class SentDownloads implements WebMvcConfigurer, HandlerInterceptor {

    /** What to announce once the download's response went out with this status. */
    @FunctionalInterface
    interface OnSent {
        void sent(int status) throws IOException;
    }

    private static final Logger log = LoggerFactory.getLogger(SentDownloads.class);
    private static final String PENDING = SentDownloads.class.getName() + ".pending";

    static void expect(HttpServletRequest request, OnSent onSent) {
        request.setAttribute(PENDING, onSent);
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/**");
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        if (!(request.getAttribute(PENDING) instanceof OnSent onSent)) {
            return;
        }
        request.removeAttribute(PENDING);
        int status = response.getStatus();
        if (ex != null || request.getAttribute(DispatcherServlet.EXCEPTION_ATTRIBUTE) != null || "HEAD".equals(request.getMethod())
                || (status != HttpServletResponse.SC_OK && status != HttpServletResponse.SC_PARTIAL_CONTENT)) {
            return;
        }
        try {
            onSent.sent(status);
        } catch (IOException | RuntimeException e) {
            log.warn("REST download event not recorded: user={} address={} uri={} error={}", request.getRemoteUser(),
                    request.getRemoteAddr(), request.getRequestURI(), e.toString());
        }
    }
}
