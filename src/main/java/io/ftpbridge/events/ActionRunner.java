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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Runs one action of a rule for one event: a signed webhook, a transfer job, or a file move/delete. */
@Component
class ActionRunner {

    private static final Logger log = LoggerFactory.getLogger(ActionRunner.class);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(5);
    private static final int MAX_SIGNING_KEYS = 1024;

    record Outcome(boolean success, Integer statusCode, String error) {
        static Outcome failure(Integer statusCode, String error) {
            return new Outcome(false, statusCode, error);
        }
    }

    private final SecretCipher cipher;
    private final JsonMapper json;
    private final TransferService transfers;
    private final FolderService folders;
    private final StorageService storage;
    /** Stored (encrypted, fresh IV per change) secret → its HMAC key. */
    private final Map<String, SecretKeySpec> signingKeys = new ConcurrentHashMap<>();
    /**
     * One thread runs the client's response handling: its default pool wakes a thread per exchange, which
     * cost more CPU than the exchange itself (our handlers only queue the outcome).
     */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).executor(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "webhook-responses");
                t.setDaemon(true);
                return t;
            })).build();

    ActionRunner(SecretCipher cipher, JsonMapper json, TransferService transfers, FolderService folders, StorageService storage) {
        this.cipher = cipher;
        this.json = json;
        this.transfers = transfers;
        this.folders = folders;
        this.storage = storage;
    }

    /**
     * Starts the action a claimed delivery names; {@code rule} and {@code event} were read with the claim
     * (null: deleted since). Webhooks are sent without holding a thread (the HTTP client's connection pool
     * and selector); transfer and file actions run on {@code blocking}. A webhook's timeout ends before
     * the claim's lease does.
     */
    CompletableFuture<Outcome> run(DeliveryRepository.Claimed claimed, EventRuleRepository.StoredRule rule, EventResponse event,
                                   Executor blocking) {
        if (rule == null || event == null || claimed.actionIndex() >= rule.actions().size()) {
            return CompletableFuture.completedFuture(Outcome.failure(null, "the rule or its action no longer exists"));
        }
        RuleAction action = rule.actions().get(claimed.actionIndex());
        return switch (action.type()) {
            case WEBHOOK -> webhook(rule.name(), action, event, Duration.between(EventRepository.now(), claimed.leaseUntil()));
            case TRANSFER -> CompletableFuture.supplyAsync(() -> transfer(action, event), blocking);
            case FILE -> CompletableFuture.supplyAsync(() -> file(rule.name(), action, event), blocking);
        };
    }

    private CompletableFuture<Outcome> webhook(String ruleName, RuleAction action, EventResponse event, Duration leaseLeft) {
        byte[] body = action.bodyTemplate() == null ? json.writeValueAsBytes(event)
                : WebhookBody.parse(action.bodyTemplate()).render(event, ruleName, json).getBytes(StandardCharsets.UTF_8);
        Duration timeout = action.timeout() == null ? DEFAULT_TIMEOUT : action.timeout();
        // an attempt still running when the lease ends could run a second time on another instance
        Duration margin = leaseLeft.dividedBy(5).compareTo(LEASE_MARGIN) < 0 ? leaseLeft.dividedBy(5) : LEASE_MARGIN;
        Duration untilLeaseEnds = leaseLeft.minus(margin);
        if (untilLeaseEnds.compareTo(timeout) < 0) {
            if (untilLeaseEnds.toMillis() < 1) {
                return CompletableFuture.completedFuture(Outcome.failure(null, "the claim's lease ran out before the attempt started"));
            }
            timeout = untilLeaseEnds;
        }
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
            request.header("X-Ftpbridge-Signature", "sha256=" + sign(signingKey(action.secret()), body));
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()).handle((response, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                return Outcome.failure(null, cause.toString());
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                log.info("Webhook delivered: event={} type={} url={} status={}", event.id(), event.type(), action.url(), status);
                return new Outcome(true, status, null);
            }
            return Outcome.failure(status, "HTTP " + status);
        });
    }

    static String sign(String secret, byte[] body) {
        return sign(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"), body);
    }

    private static String sign(SecretKeySpec key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The HMAC key of a stored (encrypted) secret: decrypted once, not for every webhook. */
    private SecretKeySpec signingKey(String stored) {
        if (signingKeys.size() > MAX_SIGNING_KEYS) {
            signingKeys.clear(); // secrets of rules changed or deleted since; the ones in use come back at once
        }
        return signingKeys.computeIfAbsent(stored,
                s -> new SecretKeySpec(cipher.decrypt(s).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
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
