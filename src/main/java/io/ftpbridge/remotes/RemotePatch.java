package io.ftpbridge.remotes;

import io.ftpbridge.web.NoControlCharacters;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.time.Duration;

/** Body of {@code PATCH /remotes/{name}}: only the fields present change. */
public record RemotePatch(
        @Size(min = 1, max = 255) @NoControlCharacters String host,
        @Min(1) @Max(65535) Integer port,
        @Size(min = 1, max = 255) @NoControlCharacters String username,
        @Schema(accessMode = Schema.AccessMode.WRITE_ONLY) @Size(max = 1024) @NoControlCharacters String password,
        DataMode dataMode,
        RemoteTls tls,
        TransferType transferType,
        @Min(1) @Max(64) Integer maxConnections,
        Duration connectTimeout,
        Duration readTimeout) {
}
