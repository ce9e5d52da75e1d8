package io.ftpbridge.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts REST HTTP Basic logins under the same {@link LoginGuard} as FTP logins. It runs before
 * Spring Security, so an attempt is counted before its password is checked and a locked-out
 * address or account is refused without one: {@code 429} with {@code Retry-After}. A {@code 401}
 * answer to a request that carried Basic credentials counts as a failure. Credentials that were
 * verified moments ago are only checked against the locks (see {@link LoginGuard}).
 */
@Component
public class BasicLoginGuardFilter extends OncePerRequestFilter implements Ordered {

    private static final Logger log = LoggerFactory.getLogger(BasicLoginGuardFilter.class);

    private final LoginGuard guard;

    public BasicLoginGuardFilter(LoginGuard guard) {
        this.guard = guard;
    }

    @Override
    public int getOrder() {
        return SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String[] credentials = basicCredentials(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (credentials == null) {
            chain.doFilter(request, response);
            return;
        }
        String username = credentials[0];
        String address = request.getRemoteAddr();
        LoginGuard.Attempt attempt = guard.begin(Protocol.REST, address, username, credentials[1]);
        if (!attempt.allowed()) {
            long seconds = Math.max(1, attempt.refusedFor().orElseThrow().toSeconds());
            log.info("REST login refused: user={} address={} reason=too many failed logins", username, address);
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
            SecurityConfig.writeProblem(response, 429, "Too Many Requests",
                    "too many failed logins from this address or to this account; try again later");
            return;
        }
        boolean failed = false;
        try {
            chain.doFilter(request, response);
            failed = response.getStatus() == HttpServletResponse.SC_UNAUTHORIZED;
        } finally {
            if (failed) {
                LoginGuard.Failure failure = attempt.failed();
                log.info("REST login failed: user={} address={}", username, address);
                if (failure.lockedOut()) {
                    log.warn("REST logins refused for a while: user={} address={}", username, address);
                }
            } else {
                attempt.succeeded();
            }
        }
    }

    /** The username and password of HTTP Basic credentials, or null when there are none (or they are malformed). */
    private static String[] basicCredentials(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
