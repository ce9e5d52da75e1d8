package io.ftpbridge.storage;

import java.nio.file.Path;

/**
 * A virtual folder as storage sees it: where its bytes live and the limits on them.
 *
 * @param quotaBytes 0 for no byte limit
 * @param quotaFiles 0 for no file-count limit
 */
public record FolderStorage(String name, Path root, long quotaBytes, long quotaFiles) {
}
