package io.ftpbridge.events;

import io.swagger.v3.oas.annotations.media.Schema;
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
public record EventResponse(long id, EventType type, OffsetDateTime time, @Schema(nullable = true) String instance, @Schema(nullable = true) String actor,
                            @Schema(nullable = true) EventProtocol protocol, @Schema(nullable = true) String folder, @Schema(nullable = true) String path, @Schema(nullable = true) String fromPath, @Schema(nullable = true) Long size,
                            @Schema(nullable = true) Long jobId, @Schema(nullable = true) String state, @Schema(nullable = true) String address) {
}
