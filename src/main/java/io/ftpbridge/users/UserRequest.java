package io.ftpbridge.users;

import io.ftpbridge.web.MaxUtf8Bytes;
import io.ftpbridge.web.Names;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * Body of {@code POST /users} and {@code PUT /users/{username}}. On PUT a missing password keeps the
 * current one; every other missing field takes its default.
 */
public record UserRequest(
        @Schema(example = "alice") @NotBlank @Pattern(regexp = Names.PATTERN, message = Names.MESSAGE) String username,
        @Schema(accessMode = Schema.AccessMode.WRITE_ONLY, example = "s3cret-passw0rd",
                description = "8 or more characters, at most 72 bytes in UTF-8 (bcrypt's limit)")
        @Size(min = 8, max = MaxUtf8Bytes.BCRYPT) @MaxUtf8Bytes(MaxUtf8Bytes.BCRYPT) String password,
        @Schema(defaultValue = "true") Boolean enabled,
        @Schema(description = "concurrent FTP sessions, 0 = the server default (ftpbridge.ftp.max-connections-per-user)") @PositiveOrZero Integer maxConnections,
        @Schema(description = "0 = unlimited") @PositiveOrZero Long uploadBytesPerSecond,
        @Schema(description = "0 = unlimited") @PositiveOrZero Long downloadBytesPerSecond,
        @Schema(description = "CIDR blocks allowed to log in; empty = any", example = "[\"127.0.0.1/32\",\"::1/128\"]") List<String> allowedIps,
        List<@Valid MountDto> mounts,
        @Schema(description = "FTP only over TLS: control protected before USER/PASS, data (PROT P) before transfers",
                defaultValue = "false") Boolean tlsRequired) {
}
