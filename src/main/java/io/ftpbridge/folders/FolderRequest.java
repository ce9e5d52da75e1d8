package io.ftpbridge.folders;

import io.ftpbridge.web.Names;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /folders} and {@code PUT /folders/{name}}. */
public record FolderRequest(
        @Schema(example = "incoming") @NotBlank @Size(max = 64) @Pattern(regexp = Names.PATTERN, message = Names.MESSAGE) String name,
        @Schema(example = "Files partners drop for us") @Size(max = 1024) String description,
        @Schema(description = "absolute storage path under an allowed root; default <storage.root>/<name>") String location,
        @Schema(description = "0 = no limit", example = "1073741824") @PositiveOrZero Long quotaBytes,
        @Schema(description = "0 = no limit", example = "0") @PositiveOrZero Long quotaFiles) {
}
