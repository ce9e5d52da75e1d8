package io.ftpbridge.security;

import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * URLs that try to leave a path ({@code %2e%2e}, {@code %2F}, {@code %5C}, NUL, non-normalised
 * {@code ..}) are refused by Spring Security's StrictHttpFirewall before any controller runs; this
 * makes that refusal a 400 problem detail like every other error. Tomcat is told to pass encoded
 * (back)slashes through instead of rejecting them itself with an HTML page, so the firewall sees
 * and refuses them.
 */
@Configuration
public class RejectedUrlConfig {

    private static final Logger log = LoggerFactory.getLogger(RejectedUrlConfig.class);

    @Bean
    RequestRejectedHandler problemDetailRequestRejectedHandler() {
        return (request, response, rejected) -> {
            log.info("Refused request URL: address={} method={} uri={} reason={}", request.getRemoteAddr(),
                    request.getMethod(), request.getRequestURI(), rejected.getMessage());
            SecurityConfig.writeProblem(response, 400, "Invalid path",
                    "the URL contains a sequence that is not allowed (encoded slash, dot segment, NUL or backslash)");
        };
    }

    @Bean
    TomcatConnectorCustomizer passEncodedSlashesToFirewall() {
        return connector -> {
            connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
            connector.setEncodedReverseSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
        };
    }
}
