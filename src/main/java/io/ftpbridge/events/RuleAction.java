package io.ftpbridge.events;

import io.ftpbridge.transfers.Direction;
import io.ftpbridge.transfers.Overwrite;
import java.time.Duration;
import java.util.Map;

/**
 * One action of an event rule; which fields apply depends on {@code type}:
 * {@code WEBHOOK} (url, method, headers, secret, timeout), {@code TRANSFER} (remote, direction, remotePath,
 * overwrite, verify: a transfer request whose folder and localPath are the event's file) and
 * {@code FILE} (op MOVE with {@code to}, a directory in the same folder, or DELETE).
 * {@code secret} is write-only: responses carry {@code secretSet} instead.
 */
public record RuleAction(Type type, String url, String method, Map<String, String> headers, String secret, Boolean secretSet,
                         Duration timeout, String remote, Direction direction, String remotePath, Overwrite overwrite,
                         Boolean verify, FileOp op, String to) {

    public enum Type { WEBHOOK, TRANSFER, FILE }

    public enum FileOp { MOVE, DELETE }

    RuleAction withSecret(String stored) {
        return new RuleAction(type, url, method, headers, stored, null, timeout, remote, direction, remotePath, overwrite,
                verify, op, to);
    }

    /** As REST shows it: the secret left out, only whether one is set. */
    RuleAction shown() {
        return new RuleAction(type, url, method, headers, null, type == Type.WEBHOOK ? secret != null : null, timeout, remote,
                direction, remotePath, overwrite, verify, op, to);
    }
}
