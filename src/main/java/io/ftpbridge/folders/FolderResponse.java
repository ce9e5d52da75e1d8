package io.ftpbridge.folders;

import io.ftpbridge.storage.Usage;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** A folder as the API shows it. */
public record FolderResponse(String name, @Schema(nullable = true) String description, String location, long quotaBytes,
                             long quotaFiles, Usage usage, Instant createdAt, Instant updatedAt) {

    static FolderResponse of(Folder folder, String effectiveLocation, Usage usage) {
        return new FolderResponse(folder.getName(), folder.getDescription(), effectiveLocation, folder.getQuotaBytes(),
                folder.getQuotaFiles(), usage, folder.getCreatedAt(), folder.getUpdatedAt());
    }
}
