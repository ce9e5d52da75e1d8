package io.ftpbridge.storage;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where folder storage lives.
 *
 * @param root         default parent of every folder's storage ({@code <root>/<folder name>})
 * @param allowedRoots absolute directories under which an administrator may place a folder's
 *                     {@code location}; the storage root is always allowed
 */
@Validated
@ConfigurationProperties("ftpbridge.storage")
public record StorageProperties(@NotNull Path root, List<Path> allowedRoots) {

    public StorageProperties {
        allowedRoots = allowedRoots == null ? List.of() : List.copyOf(allowedRoots);
    }
}
