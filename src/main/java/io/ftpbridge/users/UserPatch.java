package io.ftpbridge.users;

import io.ftpbridge.web.MaxUtf8Bytes;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Body of {@code PATCH /users/{username}}: only the fields present change. */
public record UserPatch(
        @Schema(accessMode = Schema.AccessMode.WRITE_ONLY) @Size(min = 8, max = MaxUtf8Bytes.BCRYPT) @MaxUtf8Bytes(MaxUtf8Bytes.BCRYPT) String password,
        Boolean enabled,
        @PositiveOrZero Integer maxConnections,
        @PositiveOrZero Long uploadBytesPerSecond,
        @PositiveOrZero Long downloadBytesPerSecond,
        List<String> allowedIps,
        List<@Valid MountDto> mounts,
        Boolean tlsRequired) {
}
