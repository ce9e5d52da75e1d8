package io.ftpbridge.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/** Refuses REST requests from an address a deny entry covers for REST: {@code 403}, before any credential is looked at. */
@Component
public class IpListFilter extends OncePerRequestFilter implements Ordered {

    private static final Logger log = LoggerFactory.getLogger(IpListFilter.class);

    private final IpLists ipLists;

    public IpListFilter(IpLists ipLists) {
        this.ipLists = ipLists;
    }

    @Override
    public int getOrder() {
        return SecurityFilterProperties.DEFAULT_FILTER_ORDER - 2;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String address = request.getRemoteAddr();
        InetAddress parsed;
        try {
            parsed = Cidr.parse(address).network();
        } catch (IllegalArgumentException e) {
            parsed = null;
        }
        if (parsed != null && ipLists.denies(Protocol.REST, parsed)) {
            log.info("REST request refused: address={} method={} path={} reason=denied by IP list", address,
                    request.getMethod(), request.getRequestURI());
            SecurityConfig.writeProblem(response, 403, "Forbidden", "requests from this address are not accepted");
            return;
        }
        chain.doFilter(request, response);
    }
}
