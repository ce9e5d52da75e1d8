package io.ftpbridge.events;

import io.ftpbridge.folders.FolderService;
import io.ftpbridge.security.SecretCipher;
import io.ftpbridge.storage.FolderStorage;
import io.ftpbridge.storage.StorageCaller;
import io.ftpbridge.storage.StorageService;
import io.ftpbridge.transfers.Direction;
import io.ftpbridge.transfers.TransferRequest;
import io.ftpbridge.transfers.TransferResponse;
import io.ftpbridge.transfers.TransferService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/** Runs one action of a rule for one event: a signed webhook, a transfer job, or a file move/delete. */
@Component
class ActionRunner {

    private static final Logger log = LoggerFactory.getLogger(ActionRunner.class);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    record Outcome(boolean success, Integer statusCode, String error) {
        static Outcome failure(Integer statusCode, String error) {
            return new Outcome(false, statusCode, error);
        }
    }

    private final EventRepository events;
    private final EventRuleRepository rules;
    private final DeliveryRepository deliveries;
    private final SecretCipher cipher;
    private final JsonMapper json;
    private final TransferService transfers;
    private final FolderService folders;
    private final StorageService storage;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    ActionRunner(EventRepository events, EventRuleRepository rules, DeliveryRepository deliveries, SecretCipher cipher,
                 JsonMapper json, TransferService transfers, FolderService folders, StorageService storage) {
        this.events = events;
        this.rules = rules;
        this.deliveries = deliveries;
        this.cipher = cipher;
        this.json = json;
        this.transfers = transfers;
        this.folders = folders;
        this.storage = storage;
    }

    Outcome run(DeliveryRepository.Claimed claimed) {
        var rule = rules.find(claimed.ruleId()).orElse(null);
        EventResponse event = events.find(claimed.eventId()).orElse(null);
        if (rule == null || event == null || claimed.actionIndex() >= rule.actions().size()) {
            return Outcome.failure(null, "the rule or its action no longer exists");
        }
        RuleAction action = rule.actions().get(claimed.actionIndex());
        return switch (action.type()) {
            case WEBHOOK -> webhook(action, event);
            case TRANSFER -> transfer(action, event);
            case FILE -> file(rule.name(), action, event);
        };
    }

    /** Records success and, in the same transaction, queues the rule's next action. */
    @Transactional
    void delivered(DeliveryRepository.Claimed claimed, String owner, Integer statusCode, long ms) {
        if (deliveries.delivered(claimed.id(), owner, statusCode, ms)) {
            rules.find(claimed.ruleId()).ifPresent(rule -> {
                int next = claimed.actionIndex() + 1;
                if (next < rule.actions().size()) {
                    deliveries.insert(rule.id(), claimed.eventId(), next, rule.actions().get(next).type(), claimed.maxAttempts());
                }
            });
        }
    }

    private Outcome webhook(RuleAction action, EventResponse event) {
        byte[] body = json.writeValueAsBytes(event);
        Duration timeout = action.timeout() == null ? DEFAULT_TIMEOUT : action.timeout();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(action.url())).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("X-Ftpbridge-Event-Id", String.valueOf(event.id()))
                .method(action.method() == null ? "POST" : action.method(), HttpRequest.BodyPublishers.ofByteArray(body));
        if (action.headers() != null) {
            for (Map.Entry<String, String> h : action.headers().entrySet()) {
                request.header(h.getKey(), h.getValue());
            }
        }
        if (action.secret() != null) {
            request.header("X-Ftpbridge-Signature", "sha256=" + sign(cipher.decrypt(action.secret()), body));
        }
        try {
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                log.info("Webhook delivered: event={} type={} url={} status={}", event.id(), event.type(), action.url(), status);
                return new Outcome(true, status, null);
            }
            return Outcome.failure(status, "HTTP " + status);
        } catch (IOException e) {
            return Outcome.failure(null, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.failure(null, "interrupted");
        }
    }

    static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private Outcome transfer(RuleAction action, EventResponse event) {
        if (event.folder() == null || event.path() == null) {
            return Outcome.failure(null, "the event names no file");
        }
        String name = event.path().substring(event.path().lastIndexOf('/') + 1);
        String remotePath = action.remotePath().endsWith("/") ? action.remotePath() + name : action.remotePath();
        Direction direction = action.direction() == null ? Direction.UPLOAD : action.direction();
        TransferResponse job = transfers.create(new TransferRequest(action.remote(), direction, remotePath, event.folder(),
                event.path(), false, false, false, action.overwrite(), null, null, action.verify()));
        log.info("Rule transfer queued: event={} job={} remote={} remotePath={}", event.id(), job.id(), action.remote(), remotePath);
        return new Outcome(true, null, null);
    }

    private Outcome file(String ruleName, RuleAction action, EventResponse event) {
        if (event.folder() == null || event.path() == null) {
            return Outcome.failure(null, "the event names no file");
        }
        FolderStorage folder = folders.findStorage(event.folder()).orElse(null);
        if (folder == null) {
            return Outcome.failure(null, "folder '%s' no longer exists".formatted(event.folder()));
        }
        String relative = event.path().substring(1);
        StorageCaller caller = new StorageCaller("rule:" + ruleName, "JOB");
        try {
            if (action.op() == RuleAction.FileOp.DELETE) {
                caller.run(() -> { storage.delete(folder, relative, false); return null; });
            } else {
                String dir = action.to().replaceAll("^/+", "").replaceAll("/+$", "");
                String name = relative.substring(relative.lastIndexOf('/') + 1);
                String target = dir.isEmpty() ? name : dir + "/" + name;
                caller.run(() -> { storage.rename(folder, relative, target, true); return null; });
            }
            return new Outcome(true, null, null);
        } catch (NoSuchFileException e) {
            // at least once: an earlier attempt may have done it already
            return new Outcome(true, null, null);
        } catch (IOException | RuntimeException e) {
            return Outcome.failure(null, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }
}
