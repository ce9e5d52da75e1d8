package io.ftpbridge.events;

import io.ftpbridge.folders.FolderService;
import io.ftpbridge.remotes.RemoteService;
import io.ftpbridge.security.SecretCipher;
import io.ftpbridge.web.ConflictException;
import io.ftpbridge.web.FieldError;
import io.ftpbridge.web.InvalidRequestException;
import io.ftpbridge.web.NotFoundException;
import io.ftpbridge.web.PageRequests;
import io.ftpbridge.web.PageResponse;
import java.net.URI;
import java.nio.file.FileSystems;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/** Event rules: validation, CRUD with write-only encrypted webhook secrets, their delivery logs and retries. */
@Service
public class EventRuleService {

    private static final Logger log = LoggerFactory.getLogger(EventRuleService.class);
    private static final Set<String> METHODS = Set.of("POST", "PUT", "PATCH");
    private static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);
    private static final int MAX_BODY_TEMPLATE = 8192;

    private final EventRuleRepository rules;
    private final DeliveryRepository deliveries;
    private final FolderService folders;
    private final RemoteService remotes;
    private final SecretCipher cipher;
    private final EventsProperties properties;
    private final DeliveryWorker worker;
    private final JsonMapper json;

    EventRuleService(EventRuleRepository rules, DeliveryRepository deliveries, FolderService folders, RemoteService remotes,
                     SecretCipher cipher, EventsProperties properties, DeliveryWorker worker, JsonMapper json) {
        this.rules = rules;
        this.deliveries = deliveries;
        this.folders = folders;
        this.remotes = remotes;
        this.cipher = cipher;
        this.properties = properties;
        this.worker = worker;
        this.json = json;
    }

    @Transactional
    public EventRuleResponse create(EventRuleRequest request) {
        validate(request, 0);
        List<RuleAction> actions = request.actions().stream()
                .map(a -> a.withSecret(a.secret() == null || a.secret().isEmpty() ? null : cipher.encrypt(a.secret()))).toList();
        long id = rules.insert(new EventRuleRepository.StoredRule(0, request.name(), request.enabled() == null || request.enabled(),
                request.events(), request.filter(), actions, null));
        log.info("Event rule created: id={} name={} events={}", id, request.name(), request.events());
        return get(id);
    }

    /** Replaces a rule; a webhook action sent without a secret keeps the secret of the action at its index. */
    @Transactional
    public EventRuleResponse replace(long id, EventRuleRequest request) {
        EventRuleRepository.StoredRule old = rules.find(id).orElseThrow(() -> notFound(id));
        validate(request, id);
        List<RuleAction> actions = new ArrayList<>();
        for (int i = 0; i < request.actions().size(); i++) {
            RuleAction a = request.actions().get(i);
            String stored;
            if (a.secret() != null) {
                stored = a.secret().isEmpty() ? null : cipher.encrypt(a.secret());
            } else {
                stored = i < old.actions().size() ? old.actions().get(i).secret() : null;
            }
            actions.add(a.withSecret(stored));
        }
        rules.update(new EventRuleRepository.StoredRule(id, request.name(), request.enabled() == null || request.enabled(),
                request.events(), request.filter(), actions, old.createdAt()));
        log.info("Event rule replaced: id={} name={}", id, request.name());
        return get(id);
    }

    public EventRuleResponse get(long id) {
        return response(rules.find(id).orElseThrow(() -> notFound(id)));
    }

    public PageResponse<EventRuleResponse> list(int page, int size) {
        PageRequests.of(page, size, Sort.unsorted());
        return new PageResponse<>(rules.list(page, size).stream().map(EventRuleService::response).toList(), page, size, rules.count());
    }

    public void delete(long id) {
        if (!rules.delete(id)) {
            throw notFound(id);
        }
        log.info("Event rule deleted: id={}", id);
    }

    public PageResponse<DeliveryResponse> deliveries(long id, DeliveryResponse.DeliveryState state, int page, int size) {
        rules.find(id).orElseThrow(() -> notFound(id));
        PageRequests.of(page, size, Sort.unsorted());
        return new PageResponse<>(deliveries.list(id, state, page, size), page, size, deliveries.count(id, state));
    }

    public DeliveryResponse retry(long id, long deliveryId) {
        rules.find(id).orElseThrow(() -> notFound(id));
        DeliveryResponse delivery = deliveries.find(id, deliveryId)
                .orElseThrow(() -> new NotFoundException("delivery %d of rule %d does not exist".formatted(deliveryId, id)));
        if (!deliveries.retry(id, deliveryId, properties.maxAttempts())) {
            throw new ConflictException("state", "only a FAILED delivery can be retried; delivery %d is %s"
                    .formatted(deliveryId, delivery.state()));
        }
        log.info("Delivery queued again: id={} rule={}", deliveryId, id);
        worker.wakeUp();
        return deliveries.find(id, deliveryId).orElseThrow();
    }

    private void validate(EventRuleRequest request, long id) {
        List<FieldError> errors = new ArrayList<>();
        if (rules.nameTaken(request.name(), id)) {
            throw new ConflictException("name", "an event rule named '%s' already exists".formatted(request.name()));
        }
        RuleFilter filter = request.filter();
        if (filter != null) {
            if (filter.folder() != null && !folders.exists(filter.folder())) {
                errors.add(new FieldError("filter.folder", "folder '%s' does not exist".formatted(filter.folder())));
            }
            if (filter.pathGlob() != null) {
                try {
                    FileSystems.getDefault().getPathMatcher("glob:" + filter.pathGlob());
                } catch (RuntimeException e) {
                    errors.add(new FieldError("filter.pathGlob", "not a valid glob: " + e.getMessage()));
                }
            }
            if (filter.minSize() != null && filter.minSize() < 0) {
                errors.add(new FieldError("filter.minSize", "must be 0 or more"));
            }
        }
        for (int i = 0; i < request.actions().size(); i++) {
            RuleAction a = request.actions().get(i);
            String at = "actions[%d].".formatted(i);
            if (a == null || a.type() == null) {
                errors.add(new FieldError(at + "type", "must be WEBHOOK, TRANSFER or FILE"));
                continue;
            }
            switch (a.type()) {
                case WEBHOOK -> {
                    if (!httpUrl(a.url())) {
                        errors.add(new FieldError(at + "url", "must be an absolute http or https URL"));
                    }
                    if (a.method() != null && !METHODS.contains(a.method())) {
                        errors.add(new FieldError(at + "method", "must be POST, PUT or PATCH"));
                    }
                    if (a.timeout() != null && (a.timeout().isNegative() || a.timeout().isZero() || a.timeout().compareTo(MAX_TIMEOUT) > 0)) {
                        errors.add(new FieldError(at + "timeout", "must be between 1ms and 5 minutes"));
                    }
                    if (a.headers() != null && a.headers().keySet().stream().anyMatch(h -> !h.matches("[A-Za-z0-9-]{1,64}")
                            || h.equalsIgnoreCase("Content-Length") || h.equalsIgnoreCase("Host"))) {
                        errors.add(new FieldError(at + "headers", "header names are tokens of letters, digits and '-' (not Host or Content-Length)"));
                    }
                    bodyTemplateError(a.bodyTemplate()).ifPresent(message -> errors.add(new FieldError(at + "bodyTemplate", message)));
                }
                case TRANSFER -> {
                    if (a.remote() == null || !remotes.exists(a.remote())) {
                        errors.add(new FieldError(at + "remote", "remote '%s' does not exist".formatted(a.remote())));
                    }
                    if (a.direction() != null && a.direction() != io.ftpbridge.transfers.Direction.UPLOAD) {
                        errors.add(new FieldError(at + "direction", "the event's file is local: only UPLOAD"));
                    }
                    if (a.remotePath() == null || !a.remotePath().startsWith("/")) {
                        errors.add(new FieldError(at + "remotePath", "must be an absolute path (ending in / for a directory)"));
                    }
                }
                case FILE -> {
                    if (a.op() == null) {
                        errors.add(new FieldError(at + "op", "must be MOVE or DELETE"));
                    } else if (a.op() == RuleAction.FileOp.MOVE && (a.to() == null || a.to().isBlank() || a.to().contains(".."))) {
                        errors.add(new FieldError(at + "to", "MOVE needs a directory of the same folder, without '..'"));
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }

    private Optional<String> bodyTemplateError(String template) {
        if (template == null) {
            return Optional.empty();
        }
        if (template.length() > MAX_BODY_TEMPLATE) {
            return Optional.of("at most %d characters".formatted(MAX_BODY_TEMPLATE));
        }
        try {
            WebhookBody.validate(template, json);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static boolean httpUrl(String url) {
        if (url == null) {
            return false;
        }
        try {
            URI uri = URI.create(url);
            return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static EventRuleResponse response(EventRuleRepository.StoredRule r) {
        return new EventRuleResponse(r.id(), r.name(), r.enabled(), r.events(), r.filter(),
                r.actions().stream().map(RuleAction::shown).toList(), r.createdAt());
    }

    private static NotFoundException notFound(long id) {
        return new NotFoundException("event rule %d does not exist".formatted(id));
    }
}
