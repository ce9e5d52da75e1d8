package io.ftpbridge.transfers;

import io.swagger.v3.oas.annotations.media.Schema;
import io.ftpbridge.remotes.DataMode;
import io.ftpbridge.remotes.TransferType;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * A new transfer job. {@code glob}: the last segment of the source path is a pattern (mget/mput);
 * {@code recursive}: with glob, matching directories are walked too. For a single file,
 * {@code localPath} (DOWNLOAD) or {@code remotePath} (UPLOAD) ending in {@code /} names a directory
 * the file goes into; for a glob they always name the target directory. {@code dataMode} and
 * {@code transferType} (ASCII or BINARY) override the remote's for this job.
 */
public record TransferRequest(
        @NotBlank @Size(max = 64) String remote,
        @NotNull Direction direction,
        @NotBlank @Size(max = 4096) String remotePath,
        @NotBlank @Size(max = 64) String folder,
        @NotBlank @Size(max = 4096) String localPath,
        @Schema(nullable = true) Boolean glob,
        @Schema(nullable = true) Boolean recursive,
        @Schema(nullable = true) Boolean append,
        @Schema(nullable = true) Overwrite overwrite,
        @Schema(nullable = true) DataMode dataMode,
        @Schema(nullable = true) TransferType transferType,
        @Schema(nullable = true) Boolean verify) {
}
