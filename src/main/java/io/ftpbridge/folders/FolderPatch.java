package io.ftpbridge.folders;

import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/** Body of {@code PATCH /folders/{name}}: only the fields present change. */
public record FolderPatch(
        @Size(max = 1024) String description,
        String location,
        @PositiveOrZero Long quotaBytes,
        @PositiveOrZero Long quotaFiles) {
}
