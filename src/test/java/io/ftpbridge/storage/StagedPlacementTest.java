package io.ftpbridge.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transfer job's partial file is placed into a folder atomically, also when the partials
 * directory is on another file system than the folder (then copied beside the target first), and
 * only if the folder's quota has room for it.
 */
class StagedPlacementTest {

    @TempDir
    Path storageRoot;

    @Test
    void aPartialOnAnotherFileSystemIsCopiedBesideTheTargetAndMovedIntoPlace() throws Exception {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && !Files.getFileStore(shm).equals(Files.getFileStore(storageRoot)),
                "needs /dev/shm on another file system");
        Path partials = Files.createTempDirectory(shm, "partials-");
        StorageService storage = new StorageService(new StorageProperties(storageRoot, List.of(), partials, Duration.ofSeconds(5)));
        FolderStorage folder = new FolderStorage("cross", storageRoot.resolve("cross"), 1_000_000, 0);
        Files.createDirectories(folder.root());
        Files.writeString(folder.root().resolve("target.bin"), "old content");

        Path partial = storage.partialFile("job7", "0.part");
        byte[] bytes = new byte[300_000];
        Arrays.fill(bytes, (byte) 'n');
        try (UploadStream out = storage.beginStaged(folder, "target.bin", partial, 0)) {
            out.write(bytes, 0, bytes.length);
        }
        assertThat(storage.usage(folder).bytes()).as("a partial outside the folder is not in its usage").isEqualTo(11);
        storage.placeStaged(folder, partial, "target.bin");

        assertThat(Files.readAllBytes(folder.root().resolve("target.bin"))).isEqualTo(bytes);
        assertThat(partial).doesNotExist();
        try (Stream<Path> left = Files.list(folder.root())) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("target.bin");
        }
        assertThat(storage.usage(folder).bytes()).isEqualTo(300_000);
        storage.removePartials("job7");
        assertThat(partials.resolve("job7")).doesNotExist();
    }

    @Test
    void aPartialThatDoesNotFitTheQuotaIsNotPlacedAndStaysForInspection() throws Exception {
        Path partials = storageRoot.resolveSibling(storageRoot.getFileName() + "-partials");
        StorageService storage = new StorageService(new StorageProperties(storageRoot.resolve("storage"), List.of(), partials, null));
        FolderStorage folder = new FolderStorage("tight", storageRoot.resolve("storage/tight"), 100_000, 0);
        Files.createDirectories(folder.root());
        Files.write(folder.root().resolve("other.bin"), new byte[60_000]);
        Files.write(folder.root().resolve("target.bin"), new byte[10_000]);

        Path partial = storage.partialFile("job8", "0.part");
        try (UploadStream out = storage.beginStaged(folder, "target.bin", partial, 0)) {
            out.write(new byte[30_000], 0, 30_000); // 70 000 + 30 000 (while written) fits
        }
        Files.write(folder.root().resolve("late.bin"), new byte[15_000]); // the folder filled up meanwhile
        assertThatThrownBy(() -> storage.placeStaged(folder, partial, "target.bin")).isInstanceOf(QuotaExceededException.class);
        assertThat(Files.size(folder.root().resolve("target.bin"))).isEqualTo(10_000);
        assertThat(Files.size(partial)).isEqualTo(30_000);

        Files.delete(folder.root().resolve("late.bin"));
        storage.placeStaged(folder, partial, "target.bin"); // 60 000 - 10 000 + 30 000 fits
        assertThat(Files.size(folder.root().resolve("target.bin"))).isEqualTo(30_000);
        assertThat(storage.usage(folder).bytes()).isEqualTo(90_000);
    }
}
