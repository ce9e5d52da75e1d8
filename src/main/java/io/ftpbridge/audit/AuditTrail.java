package io.ftpbridge.audit;

import io.ftpbridge.security.Caller;
import io.ftpbridge.security.LoginAttempt;
import io.ftpbridge.security.RequestOutcomeListener;
import io.ftpbridge.web.PageRequests;
import io.ftpbridge.web.PageResponse;
import jakarta.persistence.criteria.Predicate;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.http.HttpHeaders;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.web.util.UriUtils;

/**
 * Writes the audit trail: every REST request that changes something (any method but GET, HEAD and
 * OPTIONS, whatever its outcome, unless it never authenticated) and every FTP or REST login. Only
 * who, how, what and where are kept: never a request body, a query string or a credential.
 */
@Service
public class AuditTrail implements RequestOutcomeListener {

    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final String API = "/api/v1/";

    private final AuditEventRepository events;
    private final AuditProperties properties;

    AuditTrail(AuditEventRepository events, AuditProperties properties) {
        this.events = events;
        this.properties = properties;
    }

    @Override
    public void completed(HttpServletRequest request, HttpServletResponse response, int status, Caller caller) {
        String uri = request.getRequestURI().substring(request.getContextPath().length());
        if (READS.contains(request.getMethod()) || !uri.startsWith(API) || (caller == null && status == 401)) {
            return;
        }
        String[] segments = uri.substring(API.length()).split("/");
        String location = response.getHeader(HttpHeaders.LOCATION);
        Described described = describe(request.getMethod(), segments, request.getParameter("op"), request.getParameter("to"),
                location);
        write(new AuditEvent(Instant.now(), caller == null ? null : caller.username(),
                caller == null ? null : caller.method().name(), caller == null ? null : caller.keyId(), described.action(),
                request.getMethod(), uri, printable(described.target()), status, request.getRemoteAddr()));
    }

    @EventListener
    void on(LoginAttempt login) {
        write(new AuditEvent(Instant.now(), printable(login.username()),
                login.method() == null ? login.protocol() : login.method().name(), null,
                login.succeeded() ? "login.succeeded" : "login.failed", null, null,
                login.protocol() + (login.failure() == null ? "" : " " + login.failure()), null, login.address()));
    }

    private record Described(String action, String target) {
    }

    /** {@code <resource>.<verb>} and the resource changed, from the method and path alone. */
    static Described describe(String method, String[] segments, String op, String to, String location) {
        String resource = segments[0];
        int files = Arrays.asList(segments).indexOf("files");
        String target = decode(String.join("/", segments));
        if (files > 0) {
            String verb = switch (method) {
                case "PUT" -> "upload";
                case "DELETE" -> "delete";
                case "POST" -> op == null ? "operate" : op.length() > 16 ? "unknown" : op;
                default -> method.toLowerCase();
            };
            String base = String.join(".", Arrays.copyOfRange(segments, 0, 1)) + ".files";
            return new Described(base + "." + verb, "rename".equals(verb) && to != null ? target + " -> " + to : target);
        }
        if (segments.length == 1 && method.equals("POST")) {
            return new Described(resource + ".create", location != null && location.startsWith(API)
                    ? decode(location.substring(API.length())) : target);
        }
        if (segments.length == 2 && (resource.equals("auth") || resource.equals("me"))) {
            return new Described(resource + "." + segments[1], target);
        }
        if (segments.length >= 3 && method.equals("POST")) {
            String verb = segments[segments.length - 1];
            return new Described(resource + "." + verb,
                    decode(String.join("/", Arrays.copyOfRange(segments, 0, segments.length - 1))));
        }
        String verb = switch (method) {
            case "PUT" -> "replace";
            case "PATCH" -> "update";
            case "DELETE" -> "delete";
            default -> method.toLowerCase();
        };
        return new Described(resource + "." + verb, target);
    }

    /**
     * The text with control characters written as {@code \\uXXXX}: PostgreSQL refuses a NUL in a text
     * column (the row would be lost), and a line break would forge lines in logs and exports.
     */
    static String printable(String text) {
        if (text == null || text.chars().noneMatch(Character::isISOControl)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        text.chars().forEach(c -> out.append(Character.isISOControl(c) ? "\\u%04x".formatted(c) : String.valueOf((char) c)));
        return out.toString();
    }

    private static String decode(String path) {
        try {
            return UriUtils.decode(path, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return path;
        }
    }

    private void write(AuditEvent event) {
        try {
            events.save(event);
        } catch (RuntimeException e) {
            log.warn("Audit row not written: action={} actor={} target={} reason={}", event.getAction(), event.getActor(),
                    event.getTarget(), e.toString());
        }
    }

    /** Rows matching every filter given, newest first. */
    public PageResponse<AuditResponse> search(String actor, String action, String target, Instant from, Instant to,
                                              int page, int size) {
        Specification<AuditEvent> filter = (root, query, cb) -> {
            List<Predicate> where = new ArrayList<>();
            if (actor != null && !actor.isBlank()) {
                where.add(cb.equal(root.get("actor"), actor));
            }
            if (action != null && !action.isBlank()) {
                where.add(action.endsWith("*") ? cb.like(root.get("action"), action.substring(0, action.length() - 1) + "%")
                        : cb.equal(root.get("action"), action));
            }
            if (target != null && !target.isBlank()) {
                where.add(cb.like(root.get("target"), "%" + target.replace("%", "").replace("_", "") + "%"));
            }
            if (from != null) {
                where.add(cb.greaterThanOrEqualTo(root.get("time"), from));
            }
            if (to != null) {
                where.add(cb.lessThan(root.get("time"), to));
            }
            return cb.and(where.toArray(Predicate[]::new));
        };
        return PageResponse.of(events.findAll(filter, PageRequests.of(page, size,
                Sort.by(Sort.Order.desc("time"), Sort.Order.desc("id")))), AuditResponse::of);
    }

    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT1H")
    void purge() {
        int deleted = events.deleteOlderThan(Instant.now().minus(properties.retention()));
        if (deleted > 0) {
            log.info("Audit rows past retention deleted: rows={} retention={}", deleted, properties.retention());
        }
    }
}
