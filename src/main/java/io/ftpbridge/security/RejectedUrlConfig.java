package io.ftpbridge.security;

import org.apache.catalina.Lifecycle;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * URLs that try to leave a path ({@code %2e%2e}, {@code %2F}, {@code %5C}, NUL, non-normalised
 * {@code ..}) are refused by Spring Security's StrictHttpFirewall before any controller runs; this
 * makes that refusal a 400 problem detail like every other error. Tomcat is told to pass encoded
 * (back)slashes through instead of rejecting them itself with an HTML page, so the firewall sees
 * and refuses them. What Tomcat still refuses itself ({@code %00}) is answered as a problem detail
 * by {@link ProblemDetailErrorReportValve}.
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

    /** Replaces Tomcat's HTML error report (e.g. for {@code %00}, which Tomcat refuses itself) by a problem detail. */
    @Bean
    TomcatContextCustomizer problemDetailErrorReports() {
        return context -> {
            if (!(context.getParent() instanceof StandardHost host)) {
                return;
            }
            host.addLifecycleListener(event -> {
                if (!Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
                    return;
                }
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve && !(valve instanceof ProblemDetailErrorReportValve)) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                host.setErrorReportValveClass(ProblemDetailErrorReportValve.class.getName());
                host.getPipeline().addValve(new ProblemDetailErrorReportValve());
            });
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
