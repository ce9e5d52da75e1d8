package io.ftpbridge.storage;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where folder storage lives.
 *
 * @param root           default parent of every folder's storage ({@code <root>/<folder name>})
 * @param allowedRoots   absolute directories under which an administrator may place a folder's
 *                       {@code location}; the storage root is always allowed
 * @param partials       where transfer jobs keep the files they are still downloading, out of reach
 *                       of FTP and REST users ({@code <partials>/<job id>/...}); default: {@code partials}
 *                       beside the storage root, i.e. {@code ${ftpbridge.data-dir}/partials}
 * @param writeLockWait  how long an append waits for another write to the same file to end before
 *                       it is refused as busy
 */
@Validated
@ConfigurationProperties("ftpbridge.storage")
public record StorageProperties(@NotNull Path root, List<Path> allowedRoots, Path partials, Duration writeLockWait) {

    public StorageProperties {
        allowedRoots = allowedRoots == null ? List.of() : List.copyOf(allowedRoots);
        if (partials == null && root != null) {
            Path absolute = root.toAbsolutePath().normalize();
            partials = absolute.getParent() == null ? absolute.resolve(".partials") : absolute.resolveSibling("partials");
        }
        if (writeLockWait == null) {
            writeLockWait = Duration.ofSeconds(30);
        }
        if (writeLockWait.isNegative()) {
            throw new IllegalArgumentException("ftpbridge.storage.write-lock-wait must not be negative");
        }
    }
}
