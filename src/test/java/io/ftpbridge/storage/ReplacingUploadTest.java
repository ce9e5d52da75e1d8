package io.ftpbridge.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upload that replaces a file leaves exactly the new file in the folder; the old content leaves
 * the folder at once and the quota with it, and is deleted on a thread of its own, or at the next
 * start when the process died first.
 */
class ReplacingUploadTest {

    @TempDir
    Path dataDir;

    @Test
    void theOldContentLeavesTheFolderAtOnceAndIsDeletedSoonAfter() throws Exception {
        Path partials = dataDir.resolve("partials");
        StorageService storage = storage(partials);
        FolderStorage folder = new FolderStorage("reports", dataDir.resolve("storage/reports"), 1_000_000, 0);
        Files.createDirectories(folder.root());
        Files.write(folder.root().resolve("daily.csv"), new byte[600_000]);

        try (UploadStream upload = storage.beginUpload(folder, "daily.csv", UploadMode.REPLACE, 0)) {
            upload.write(new byte[700_000], 0, 700_000); // fits only because the 600 000 it replaces go
        }

        assertThat(Files.size(folder.root().resolve("daily.csv"))).isEqualTo(700_000);
        assertThat(names(folder.root())).containsExactly("daily.csv");
        assertThat(storage.usage(folder).bytes()).isEqualTo(700_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.isDirectory(partials) || names(partials).isEmpty());
    }

    @Test
    void oldContentLeftByAKilledRunIsDeletedAtTheNextStart() throws Exception {
        Path partials = Files.createDirectories(dataDir.resolve("partials"));
        Files.write(partials.resolve("0b7d4d1e-9a51-6c2f-0e4b-7a103f8e1c2a.discard"), new byte[1000]);
        Files.createDirectories(partials.resolve("job9"));

        storage(partials);

        assertThat(names(partials)).as("a job's partials stay").containsExactly("job9");
    }

    private StorageService storage(Path partials) throws Exception {
        return new StorageService(new StorageProperties(dataDir.resolve("storage"), List.of(), partials, null));
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
