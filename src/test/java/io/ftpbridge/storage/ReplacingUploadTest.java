package io.ftpbridge.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upload that replaces a file leaves exactly the new file in the folder; the old content leaves
 * the folder at once and the quota with it, and is deleted on a thread of its own, or at the next
 * start when the process died first, or written over by a later upload when nobody else can see it
 * ({@link ReusedContent}).
 */
class ReplacingUploadTest {

    private static final int OTHER_GROUP = 4242;

    @TempDir
    Path dataDir;

    @Test
    void theOldContentLeavesTheFolderAtOnceAndIsDeletedAtTheLatestAtShutdown() throws Exception {
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
        assertThat(names(partials)).as("kept a while for reuse, out of the folder").hasSize(1)
                .allMatch(name -> name.endsWith(ReusedContent.SUFFIX));
        storage.finishDiscards();
        assertThat(names(partials)).isEmpty();
    }

    @Test
    void oldContentLeftByAKilledRunIsDeletedAtTheNextStart() throws Exception {
        Path partials = Files.createDirectories(dataDir.resolve("partials"));
        Files.write(partials.resolve("0b7d4d1e-9a51-6c2f-0e4b-7a103f8e1c2a.discard"), new byte[1000]);
        Files.createDirectories(partials.resolve("job9"));

        storage(partials);

        assertThat(names(partials)).as("a job's partials stay").containsExactly("job9");
    }

    @Test
    void aLaterUploadWritesOverTheOldContentAndKeepsOnlyItsOwnBytes() throws Exception {
        StorageService storage = storage(dataDir.resolve("partials"));
        FolderStorage folder = folderWithDaily(storage);
        Object oldContent = fileKey(folder.root().resolve("daily.csv"));
        upload(storage, folder, "daily.csv", 700_000, (byte) 2);

        upload(storage, folder, "small.csv", 1_000, (byte) 3);

        Path small = folder.root().resolve("small.csv");
        assertThat(fileKey(small)).as("the old content's inode, written over").isEqualTo(oldContent);
        assertThat(Files.readAllBytes(small)).hasSize(1_000).containsOnly(3);
        assertThat(Files.readAllBytes(folder.root().resolve("daily.csv"))).hasSize(700_000).containsOnly(2);
        assertThat(names(folder.root())).containsExactly("daily.csv", "small.csv");
        assertThat(names(dataDir.resolve("partials"))).isEmpty();
    }

    @Test
    void aDeletedFileLeavesTheFolderAtOnceAndItsContentIsReusedLikeAReplacedOne() throws Exception {
        StorageService storage = storage(dataDir.resolve("partials"));
        FolderStorage folder = folderWithDaily(storage);
        Object deleted = fileKey(folder.root().resolve("daily.csv"));

        storage.deleteFile(folder, "daily.csv");
        assertThat(names(folder.root())).isEmpty();
        upload(storage, folder, "next.csv", 2_000, (byte) 5);

        assertThat(fileKey(folder.root().resolve("next.csv"))).isEqualTo(deleted);
        assertThat(Files.readAllBytes(folder.root().resolve("next.csv"))).hasSize(2_000).containsOnly(5);
    }

    @Test
    void anOldContentThatADownloadStillReadsIsNeverWrittenOver() throws Exception {
        StorageService storage = storage(dataDir.resolve("partials"));
        FolderStorage folder = folderWithDaily(storage);
        Object oldContent = fileKey(folder.root().resolve("daily.csv"));

        try (InputStream download = Files.newInputStream(folder.root().resolve("daily.csv"))) {
            replaceDailyThenUploadOther(storage, folder);

            assertThat(fileKey(folder.root().resolve("other.csv"))).isNotEqualTo(oldContent);
            assertThat(download.readAllBytes()).as("what the download opened").hasSize(600_000).containsOnly(1);
        }
        awaitOldContentsDeleted();
    }

    @Test
    void anOldContentWithAnotherHardLinkIsDeletedNotReused() throws Exception {
        StorageService storage = storage(dataDir.resolve("partials"));
        FolderStorage folder = folderWithDaily(storage);
        Path elsewhere = Files.createLink(dataDir.resolve("backup.csv"), folder.root().resolve("daily.csv"));

        replaceDailyThenUploadOther(storage, folder);

        assertThat(Files.readAllBytes(elsewhere)).hasSize(600_000).containsOnly(1);
        awaitOldContentsDeleted();
    }

    @Test
    void anOldContentWithExtendedAttributesIsDeletedNotReused() throws Exception {
        StorageService storage = storage(dataDir.resolve("partials"));
        FolderStorage folder = folderWithDaily(storage);
        Path daily = folder.root().resolve("daily.csv");
        // what an access control list or a security label would be to the kernel: an attribute that a reset of the
        // permissions leaves in place
        Files.getFileAttributeView(daily, UserDefinedFileAttributeView.class)
                .write("shared-with", StandardCharsets.UTF_8.encode("partner-team"));

        replaceDailyThenUploadOther(storage, folder);

        // (not the inode number: ext4 may give a deleted file's number to the next new file at once)
        Path other = folder.root().resolve("other.csv");
        assertThat(Files.getFileAttributeView(other, UserDefinedFileAttributeView.class).list()).as("a new file's").isEmpty();
        assertThat(Files.readAllBytes(other)).hasSize(800_000).containsOnly(3);
        awaitOldContentsDeleted();
    }

    @Test
    void anOldContentOfAnotherGroupIsDeletedNotReused() throws Exception {
        assumeRoot();
        StorageService storage = storage(dataDir.resolve("partials"));
        FolderStorage folder = folderWithDaily(storage);
        Path daily = folder.root().resolve("daily.csv");
        Object freshGroup = Files.getAttribute(daily, "unix:gid");
        Files.setAttribute(daily, "unix:gid", OTHER_GROUP); // e.g. given to a group that may read it

        replaceDailyThenUploadOther(storage, folder);

        Path other = folder.root().resolve("other.csv");
        assertThat(Files.getAttribute(other, "unix:gid")).as("a new file's group").isEqualTo(freshGroup);
        awaitOldContentsDeleted();
    }

    @Test
    void anUploadIntoADirectoryThatGivesNewFilesItsGroupGetsANewFile() throws Exception {
        assumeRoot();
        StorageService storage = storage(dataDir.resolve("partials"));
        FolderStorage folder = folderWithDaily(storage);
        Object oldContent = fileKey(folder.root().resolve("daily.csv"));
        upload(storage, folder, "daily.csv", 700_000, (byte) 2); // the old content is kept for reuse
        Path shared = sharedWithOtherGroup(folder);

        upload(storage, folder, "shared/report.csv", 1_000, (byte) 3);

        Path report = shared.resolve("report.csv");
        assertThat(fileKey(report)).isNotEqualTo(oldContent);
        assertThat(Files.getAttribute(report, "unix:gid")).isEqualTo(OTHER_GROUP);
    }

    @Test
    void aFileInADirectoryThatGivesNewFilesItsGroupDoesNotTeachWhatANewFileIs() throws Exception {
        assumeRoot();
        StorageService storage = storage(dataDir.resolve("partials"));
        FolderStorage folder = unlimited(storage);
        sharedWithOtherGroup(folder);
        upload(storage, folder, "shared/a.csv", 600_000, (byte) 1); // the very first upload: a file of the other group
        upload(storage, folder, "shared/a.csv", 600_000, (byte) 2); // its old content, of the other group, goes

        upload(storage, folder, "top.csv", 1_000, (byte) 3);

        Object ours = Files.getAttribute(Files.createFile(folder.root().resolve("probe")), "unix:gid");
        assertThat(Files.getAttribute(folder.root().resolve("top.csv"), "unix:gid")).as("a new file's group").isEqualTo(ours);
    }

    @Test
    void aReusedOldContentGetsANewFilesPermissionsAndABrokenOffUploadKeepsOnlyWhatArrived() throws Exception {
        StorageService storage = storage(dataDir.resolve("partials"));
        FolderStorage folder = folderWithDaily(storage);
        Set<PosixFilePermission> fresh = Files.getPosixFilePermissions(folder.root().resolve("daily.csv"));
        Files.setPosixFilePermissions(folder.root().resolve("daily.csv"), PosixFilePermissions.fromString("rw-------"));
        Object oldContent = fileKey(folder.root().resolve("daily.csv"));
        upload(storage, folder, "daily.csv", 700_000, (byte) 2);

        UploadStream broken = storage.beginUpload(folder, "partly.csv", UploadMode.REPLACE, 0);
        broken.write(filled(250_000, (byte) 4), 0, 250_000);
        broken.abort(true); // an FTP transfer broken off: what arrived is kept

        Path partly = folder.root().resolve("partly.csv");
        assertThat(fileKey(partly)).isEqualTo(oldContent);
        assertThat(Files.readAllBytes(partly)).hasSize(250_000).containsOnly(4);
        assertThat(Files.getPosixFilePermissions(partly)).isEqualTo(fresh);
    }

    @Test
    void atMostFourOldContentsAreKept() throws Exception {
        StorageService storage = storage(dataDir.resolve("partials"));
        FolderStorage folder = unlimited(storage);
        for (int i = 0; i < 6; i++) {
            upload(storage, folder, "f" + i, 10_000, (byte) 1);
        }
        for (int i = 0; i < 6; i++) {
            Files.write(dataDir.resolve("new" + i), new byte[10]);
            storage.placeStaged(folder, copyToPartials(dataDir.resolve("new" + i), i), "f" + i);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> names(dataDir.resolve("partials")).stream()
                .filter(name -> name.endsWith(ReusedContent.SUFFIX)).count() == ReusedContent.MAX_KEPT);
        storage.finishDiscards();
        assertThat(names(dataDir.resolve("partials"))).as("deleted at shutdown").noneMatch(n -> n.endsWith(ReusedContent.SUFFIX));
    }

    /** Giving a file to a group this process is not in needs root; CI runs as root and never skips this. */
    private static void assumeRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")) || "true".equalsIgnoreCase(System.getenv("CI")),
                "changing a file's group to any group needs root");
    }

    /** Directory "shared" of the folder, of the other group and set-group-ID: new files in it get that group. */
    private static Path sharedWithOtherGroup(FolderStorage folder) throws Exception {
        Path shared = Files.createDirectory(folder.root().resolve("shared"));
        Files.setAttribute(shared, "unix:gid", OTHER_GROUP);
        Files.setAttribute(shared, "unix:mode", 02775);
        return shared;
    }

    /** The old content of daily.csv could not be reused by other.csv, so it is deleted. */
    private void replaceDailyThenUploadOther(StorageService storage, FolderStorage folder) throws Exception {
        upload(storage, folder, "daily.csv", 700_000, (byte) 2);
        upload(storage, folder, "other.csv", 800_000, (byte) 3);
    }

    private void awaitOldContentsDeleted() {
        await().atMost(Duration.ofSeconds(10)).until(() -> names(dataDir.resolve("partials")).isEmpty());
    }

    private Path copyToPartials(Path file, int job) throws Exception {
        Path partial = Files.createDirectories(dataDir.resolve("partials").resolve("job" + job)).resolve("f");
        return Files.move(file, partial);
    }

    /** A folder without quota holding daily.csv: 600 000 bytes of 1. */
    private FolderStorage folderWithDaily(StorageService storage) throws Exception {
        FolderStorage folder = unlimited(storage);
        upload(storage, folder, "daily.csv", 600_000, (byte) 1);
        return folder;
    }

    private FolderStorage unlimited(StorageService storage) throws Exception {
        FolderStorage folder = new FolderStorage("inbox", dataDir.resolve("storage/inbox"), 0, 0);
        Files.createDirectories(folder.root());
        return folder;
    }

    private static void upload(StorageService storage, FolderStorage folder, String path, int size, byte value)
            throws Exception {
        try (UploadStream upload = storage.beginUpload(folder, path, UploadMode.REPLACE, 0)) {
            upload.write(filled(size, value), 0, size);
        }
    }

    private static byte[] filled(int size, byte value) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, value);
        return bytes;
    }

    private static Object fileKey(Path path) throws Exception {
        return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
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
