package io.ftpbridge.remotes;

import io.ftpbridge.web.Names;
import io.ftpbridge.web.NoControlCharacters;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;

/**
 * Body of {@code POST /remotes} and {@code PUT /remotes/{name}}. On PUT an absent password keeps
 * the stored one (it cannot be read back to be resent).
 */
public record RemoteRequest(
        @Schema(example = "partner") @NotBlank @Pattern(regexp = Names.PATTERN, message = Names.MESSAGE) String name,
        @Schema(example = "ftp.example.com") @NotBlank @Size(max = 255) @NoControlCharacters String host,
        @Schema(example = "21", defaultValue = "21") @Min(1) @Max(65535) Integer port,
        @Schema(example = "anonymous") @NotBlank @Size(max = 255) @NoControlCharacters String username,
        @Schema(accessMode = Schema.AccessMode.WRITE_ONLY, description = "write-only; stored encrypted")
        @Size(max = 1024) @NoControlCharacters String password,
        @Schema(defaultValue = "EPSV") DataMode dataMode,
        @Schema(defaultValue = "NONE") RemoteTls tls,
        @Schema(defaultValue = "BINARY") TransferType transferType,
        @Schema(description = "pool size", defaultValue = "4") @Min(1) @Max(64) Integer maxConnections,
        @Schema(description = "ISO-8601 duration or seconds", example = "PT10S", defaultValue = "PT10S") Duration connectTimeout,
        @Schema(description = "ISO-8601 duration or seconds; also the pool's borrow timeout", example = "PT30S",
                defaultValue = "PT30S") Duration readTimeout) {
}
