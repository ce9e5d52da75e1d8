package io.ftpbridge.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Who may call what: the one table {@link SecurityConfig} enforces and the OpenAPI document
 * states for every operation ({@code x-allowed-roles}). First match wins; a request that matches
 * no rule is refused, so a new endpoint needs a rule here (the role × endpoint matrix test fails
 * without one).
 */
public final class AccessRules {

    public static final String ADMIN = Role.ADMIN.name();
    public static final String OPERATOR = Role.OPERATOR.name();
    public static final String VIEWER = Role.VIEWER.name();
    public static final String FTP_USER = Caller.FTP_USER_ROLE;

    /** Every role a caller can hold. */
    public static final List<String> ALL_ROLES = List.of(ADMIN, OPERATOR, VIEWER, FTP_USER);

    /**
     * @param method null for every method
     * @param roles  the Spring Security roles allowed
     */
    public record Rule(HttpMethod method, String pattern, List<String> roles) {
        boolean matches(HttpMethod requestMethod, String path) {
            return (method == null || method.equals(requestMethod)) && parsed(pattern).matches(PathContainer.parsePath(path));
        }
    }

    /** Managed resources: everyone of an admin role reads, ADMIN and OPERATOR change. */
    private static final List<String> OPERATED = List.of("users", "folders", "remotes", "transfers", "sessions", "server",
            "events", "event-rules", "schedules");
    /** Defence settings: everyone of an admin role reads, only ADMIN changes. */
    private static final List<String> DEFENCE = List.of("ip-lists", "defender");

    public static final List<Rule> RULES = build();

    private AccessRules() {
    }

    private static List<Rule> build() {
        List<Rule> rules = new ArrayList<>();
        List<String> readers = List.of(ADMIN, OPERATOR, VIEWER);
        rules.add(new Rule(HttpMethod.GET, "/api/v1/me", ALL_ROLES));
        rules.add(new Rule(HttpMethod.PUT, "/api/v1/me/password", ALL_ROLES));
        rules.add(new Rule(null, "/api/v1/me/files", List.of(FTP_USER)));
        rules.add(new Rule(null, "/api/v1/me/files/**", List.of(FTP_USER)));
        rules.add(new Rule(HttpMethod.POST, "/api/v1/auth/token", ALL_ROLES));
        rules.add(new Rule(null, "/api/v1/admins", List.of(ADMIN)));
        rules.add(new Rule(null, "/api/v1/admins/**", List.of(ADMIN)));
        rules.add(new Rule(null, "/api/v1/api-keys", List.of(ADMIN, OPERATOR)));
        rules.add(new Rule(null, "/api/v1/api-keys/**", List.of(ADMIN, OPERATOR)));
        rules.add(new Rule(HttpMethod.GET, "/api/v1/audit", List.of(ADMIN, OPERATOR)));
        for (String resource : OPERATED) {
            rules.add(new Rule(HttpMethod.GET, "/api/v1/" + resource, readers));
            rules.add(new Rule(HttpMethod.GET, "/api/v1/" + resource + "/**", readers));
            rules.add(new Rule(null, "/api/v1/" + resource, List.of(ADMIN, OPERATOR)));
            rules.add(new Rule(null, "/api/v1/" + resource + "/**", List.of(ADMIN, OPERATOR)));
        }
        for (String resource : DEFENCE) {
            rules.add(new Rule(HttpMethod.GET, "/api/v1/" + resource, readers));
            rules.add(new Rule(HttpMethod.GET, "/api/v1/" + resource + "/**", readers));
            rules.add(new Rule(null, "/api/v1/" + resource, List.of(ADMIN)));
            rules.add(new Rule(null, "/api/v1/" + resource + "/**", List.of(ADMIN)));
        }
        rules.add(new Rule(HttpMethod.GET, "/actuator/prometheus", readers));
        rules.add(new Rule(HttpMethod.GET, "/actuator/metrics", readers));
        rules.add(new Rule(HttpMethod.GET, "/actuator/metrics/**", readers));
        return List.copyOf(rules);
    }

    /** The rule for an operation of the OpenAPI document (path variables are matched as one segment). */
    public static Optional<Rule> forOperation(String method, String documentedPath) {
        String path = documentedPath.replaceAll("\\{[^}/]+}", "x").replace("/**", "/x/y");
        HttpMethod httpMethod = HttpMethod.valueOf(method.toUpperCase());
        return RULES.stream().filter(rule -> rule.matches(httpMethod, path)).findFirst();
    }

    private static PathPattern parsed(String pattern) {
        return PathPatternParser.defaultInstance.parse(pattern);
    }
}
