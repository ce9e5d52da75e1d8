package io.ftpbridge.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** A finished upload takes its target's place in one step; nothing of the old content stays behind. */
class AtomicReplaceTest {

    @TempDir
    Path dir;

    @Test
    @EnabledOnOs(OS.LINUX)
    void onLinuxAnExistingFileIsReplacedBySwappingNotByRename() {
        assertThat(AtomicReplace.swaps()).as("renameat2 bound through JNA").isTrue();
    }

    @Test
    void anExistingFileIsReplacedWhileAReaderKeepsTheOldContent() throws Exception {
        Path target = Files.writeString(dir.resolve("report.csv"), "old content");
        Path upload = Files.writeString(dir.resolve(".ftpbridge-upload-1.part"), "new content");

        try (InputStream reader = Files.newInputStream(target)) {
            Files.delete(AtomicReplace.replace(upload, target, true));

            assertThat(new String(reader.readAllBytes())).isEqualTo("old content");
        }
        assertThat(Files.readString(target)).isEqualTo("new content");
        assertThat(names()).containsExactly("report.csv");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void swappingHandsTheOldContentBackUnderTheSourcesName() throws Exception {
        Path target = Files.writeString(dir.resolve("data.bin"), "old");
        Path upload = Files.writeString(dir.resolve(".ftpbridge-upload-3.part"), "new");

        assertThat(AtomicReplace.replace(upload, target, true)).isEqualTo(upload);

        assertThat(Files.readString(target)).isEqualTo("new");
        assertThat(Files.readString(upload)).isEqualTo("old");
    }

    @Test
    void aNewNameIsCreated() throws Exception {
        Path upload = Files.writeString(dir.resolve(".ftpbridge-upload-2.part"), "first");

        assertThat(AtomicReplace.replace(upload, dir.resolve("new.csv"), false)).as("nothing old to delete").isNull();

        assertThat(Files.readString(dir.resolve("new.csv"))).isEqualTo("first");
        assertThat(names()).containsExactly("new.csv");
    }

    @Test
    void aFileInAnotherDirectoryReplacesTheTarget() throws Exception {
        Path staged = Files.writeString(Files.createDirectory(dir.resolve("partials")).resolve("0.part"), "staged");
        Path target = Files.writeString(Files.createDirectory(dir.resolve("folder")).resolve("in.bin"), "old");

        Files.delete(AtomicReplace.replace(staged, target, true));

        assertThat(Files.readString(target)).isEqualTo("staged");
        assertThat(Files.list(dir.resolve("partials")).count()).isZero();
    }

    private java.util.List<String> names() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
