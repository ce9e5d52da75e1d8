package io.ftpbridge.events;

import io.swagger.v3.oas.annotations.media.Schema;
import io.ftpbridge.transfers.Direction;
import io.ftpbridge.transfers.Overwrite;
import java.time.Duration;
import java.util.Map;

/**
 * One action of an event rule; which fields apply depends on {@code type}:
 * {@code WEBHOOK} (url, method, headers, secret, timeout, bodyTemplate: the JSON body with {@code {{event.path}}}-style
 * placeholders instead of the event, see {@link WebhookBody}), {@code TRANSFER} (remote, direction, remotePath,
 * overwrite, verify: a transfer request whose folder and localPath are the event's file) and
 * {@code FILE} (op MOVE with {@code to}, a directory in the same folder, or DELETE).
 * {@code secret} is write-only: responses carry {@code secretSet} instead.
 */
public record RuleAction(Type type, @Schema(nullable = true) String url, @Schema(nullable = true) String method, @Schema(nullable = true) Map<String, String> headers, @Schema(nullable = true) String secret, @Schema(nullable = true) Boolean secretSet,
                         @Schema(nullable = true) Duration timeout, @Schema(nullable = true) String remote, @Schema(nullable = true) Direction direction, @Schema(nullable = true) String remotePath, @Schema(nullable = true) Overwrite overwrite,
                         @Schema(nullable = true) Boolean verify, @Schema(nullable = true) FileOp op, @Schema(nullable = true) String to,
                         @Schema(nullable = true, description = "WEBHOOK: JSON body with {{event.path}}-style placeholders (default: the event)")
                         String bodyTemplate) {

    public enum Type { WEBHOOK, TRANSFER, FILE }

    public enum FileOp { MOVE, DELETE }

    RuleAction withSecret(String stored) {
        return new RuleAction(type, url, method, headers, stored, null, timeout, remote, direction, remotePath, overwrite,
                verify, op, to, bodyTemplate);
    }

    /** As REST shows it: the secret left out, only whether one is set. */
    RuleAction shown() {
        return new RuleAction(type, url, method, headers, null, type == Type.WEBHOOK ? secret != null : null, timeout, remote,
                direction, remotePath, overwrite, verify, op, to, bodyTemplate);
    }
}
