package io.ftpbridge.events;

import io.ftpbridge.folders.FolderService;
import io.ftpbridge.storage.FolderStorage;
import io.ftpbridge.storage.StorageCaller;
import io.ftpbridge.storage.StorageService;
import io.ftpbridge.transfers.Direction;
import io.ftpbridge.transfers.TransferRequest;
import io.ftpbridge.transfers.TransferResponse;
import io.ftpbridge.transfers.TransferService;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Runs one action of a rule for one event: a signed webhook, a transfer job, or a file move/delete. */
@Component
class ActionRunner {

    private static final Logger log = LoggerFactory.getLogger(ActionRunner.class);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(5);

    record Outcome(boolean success, Integer statusCode, String error) {
        static Outcome failure(Integer statusCode, String error) {
            return new Outcome(false, statusCode, error);
        }
    }

    private final WebhookSender webhooks;
    private final TransferService transfers;
    private final FolderService folders;
    private final StorageService storage;

    ActionRunner(WebhookSender webhooks, TransferService transfers, FolderService folders, StorageService storage) {
        this.webhooks = webhooks;
        this.transfers = transfers;
        this.folders = folders;
        this.storage = storage;
    }

    /**
     * Starts the action a claimed delivery names; {@code rule} and {@code event} were read with the claim
     * (null: deleted since). Webhooks go to the {@link WebhookSender}'s threads; transfer and file actions
     * run on {@code blocking}. A webhook's timeout ends before the claim's lease does.
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
        return webhooks.send(ruleName, action, event, timeout);
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
