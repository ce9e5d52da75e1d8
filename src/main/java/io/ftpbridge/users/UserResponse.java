package io.ftpbridge.users;

import io.ftpbridge.storage.Permission;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** An FTP account as the API shows it: never the password or its hash. */
public record UserResponse(String username, boolean enabled, int maxConnections, long uploadBytesPerSecond,
                           long downloadBytesPerSecond, List<String> allowedIps, List<MountDto> mounts,
                           Instant createdAt, Instant updatedAt, boolean tlsRequired) {

    static UserResponse of(FtpUser user) {
        return of(UserRow.of(user), user.getMounts());
    }

    static UserResponse of(UserRow user, List<MountEntry> mountEntries) {
        List<MountDto> mounts = mountEntries.stream()
                .map(m -> new MountDto(m.getFolderName(), m.getPath(), Permissions.parse(m.getPermissions())))
                .toList();
        return new UserResponse(user.username(), user.enabled(), user.maxConnections(), user.uploadBytesPerSecond(),
                user.downloadBytesPerSecond(), FtpUser.cidrs(user.allowedIps()), mounts, user.createdAt(),
                user.updatedAt(), user.tlsRequired());
    }

    /** Permissions stored as a comma-separated list, in enum order. */
    static final class Permissions {
        private Permissions() {
        }

        static Set<Permission> parse(String csv) {
            Set<Permission> set = EnumSet.noneOf(Permission.class);
            for (String p : csv.split(",")) {
                if (!p.isBlank()) {
                    set.add(Permission.valueOf(p.trim()));
                }
            }
            return set;
        }

        static String format(Set<Permission> permissions) {
            return String.join(",", EnumSet.copyOf(permissions.isEmpty() ? EnumSet.noneOf(Permission.class) : permissions)
                    .stream().map(Enum::name).toList());
        }
    }
}
