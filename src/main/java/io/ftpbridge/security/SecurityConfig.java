package io.ftpbridge.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import io.ftpbridge.web.Problems;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.ExceptionTranslationFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * REST authentication and authorization. Credentials: HTTP Basic (administrator accounts and FTP
 * users), {@code Authorization: Bearer} with an API key or a token, or {@code X-API-Key}. One
 * {@link ProviderManager} checks them all and publishes Spring Security's standard success and
 * failure events. Who may call what is {@link AccessRules}; health (status only when anonymous)
 * and the API docs are open.
 */
@Configuration
public class SecurityConfig {

    static final String API_KEY_HEADER = "X-API-Key";

    @Bean
    PasswordEncoder passwordEncoder() {
        // bcrypt by default, with the algorithm recorded in each hash so it can be upgraded later
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /**
     * No Micrometer observation around each security filter, authentication and authorization:
     * they cost more than the filters themselves on a cheap request (a timer and its tags per filter
     * per request). Requests are still timed as a whole ({@code http.server.requests}), and REST
     * logins still reach the audit trail and the login guard through the authentication events.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, List<PasswordAccounts> accounts, ApiKeyAuthenticator keys, Tokens tokens,
                            AuthenticationEventPublisher authenticationEvents, ApplicationEventPublisher events,
                            List<RequestOutcomeListener> outcomeListeners) throws Exception {
        ProviderManager manager = new ProviderManager(
                new PasswordAuthenticationProvider(accounts, events),
                new BearerAuthenticationProvider(keys, tokens, accounts, events));
        manager.setAuthenticationEventPublisher(authenticationEvents);
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authenticationManager(manager)
                .httpBasic(basic -> basic.authenticationEntryPoint(SecurityConfig::unauthorized))
                .oauth2ResourceServer(bearer -> bearer
                        .bearerTokenResolver(bearerOrApiKey())
                        .authenticationManagerResolver(request -> manager)
                        .authenticationEntryPoint(SecurityConfig::unauthorized)
                        .accessDeniedHandler(SecurityConfig::forbidden))
                .exceptionHandling(e -> e.authenticationEntryPoint(SecurityConfig::unauthorized)
                        .accessDeniedHandler(SecurityConfig::forbidden))
                .addFilterBefore(outcomes(outcomeListeners), ExceptionTranslationFilter.class)
                .authorizeHttpRequests(auth -> {
                    auth.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                            .requestMatchers("/swagger-ui.html", "/swagger-ui/**", "/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/**").permitAll()
                            .requestMatchers("/error").permitAll()
                            .requestMatchers(HttpMethod.OPTIONS, "/**").permitAll();
                    for (AccessRules.Rule rule : AccessRules.RULES) {
                        String[] roles = rule.roles().toArray(String[]::new);
                        if (rule.method() == null) {
                            auth.requestMatchers(rule.pattern()).hasAnyRole(roles);
                        } else {
                            auth.requestMatchers(rule.method(), rule.pattern()).hasAnyRole(roles);
                            if (rule.method() == HttpMethod.GET) {
                                auth.requestMatchers(HttpMethod.HEAD, rule.pattern()).hasAnyRole(roles);
                            }
                        }
                    }
                    auth.anyRequest().denyAll();
                });
        return http.build();
    }

    /** {@code Authorization: Bearer <key or token>}, else {@code X-API-Key: <key>}. */
    private static BearerTokenResolver bearerOrApiKey() {
        return request -> {
            String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
            if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                String token = authorization.substring(7).trim();
                return token.isEmpty() ? null : token;
            }
            String key = request.getHeader(API_KEY_HEADER);
            return key == null || key.isBlank() ? null : key.trim();
        };
    }

    private static OncePerRequestFilter outcomes(List<RequestOutcomeListener> listeners) {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                int status = 500;
                try {
                    chain.doFilter(request, response);
                    status = response.getStatus();
                } finally {
                    var authentication = SecurityContextHolder.getContext().getAuthentication();
                    Caller caller = authentication != null && authentication.getPrincipal() instanceof Caller c ? c : null;
                    for (RequestOutcomeListener listener : listeners) {
                        listener.completed(request, response, status, caller);
                    }
                }
            }
        };
    }

    private static void unauthorized(HttpServletRequest request, HttpServletResponse response,
                                     AuthenticationException e) throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"ftpbridge\", Bearer realm=\"ftpbridge\"");
        writeProblem(response, 401, "Unauthorized",
                "credentials are missing, wrong, expired or revoked: HTTP Basic, a Bearer token or an API key is required");
    }

    private static void forbidden(HttpServletRequest request, HttpServletResponse response,
                                  org.springframework.security.access.AccessDeniedException denied) throws IOException {
        writeProblem(response, 403, "Forbidden", "this account may not do that");
    }

    static void writeProblem(HttpServletResponse response, int status, String title, String detail)
            throws IOException {
        Problems.write(response, status, title, detail);
    }
}
