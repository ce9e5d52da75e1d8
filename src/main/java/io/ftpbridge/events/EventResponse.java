package io.ftpbridge.events;

import java.time.OffsetDateTime;

/**
 * An event as REST shows it and webhooks send it.
 *
 * @param path     folder-relative path starting with {@code /} (the new path of a rename)
 * @param fromPath the old path of a rename, else null
 * @param size     bytes of the file (sent, for a download), null for a directory or a login
 * @param state    a transfer job's new state, for {@code TRANSFER_STATE_CHANGED}
 * @param address  the client address of a login, when known
 */
public record EventResponse(long id, EventType type, OffsetDateTime time, String instance, String actor,
                            EventProtocol protocol, String folder, String path, String fromPath, Long size,
                            Long jobId, String state, String address) {
}
