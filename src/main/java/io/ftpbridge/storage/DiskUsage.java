package io.ftpbridge.storage;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What a directory tree holds as quotas count it: regular files and their bytes, without following
 * links; temporary files of uploads count with their bytes (they take the space) but not as files.
 */
final class DiskUsage {

    private DiskUsage() {
    }

    /** Bytes and files a path holds (a file, a directory tree, or a link: nothing). */
    static Usage of(Path path) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attrs.isRegularFile()) {
            boolean temp = path.getFileName().toString().startsWith(StorageService.TEMP_PREFIX);
            return new Usage(attrs.size(), temp ? 0 : 1);
        }
        return attrs.isDirectory() ? walk(path) : new Usage(0, 0);
    }

    static Usage walk(Path dir) throws IOException {
        long[] totals = new long[2];
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    totals[0] += attrs.size();
                    if (!file.getFileName().toString().startsWith(StorageService.TEMP_PREFIX)) {
                        totals[1]++;
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                return FileVisitResult.CONTINUE;
            }
        });
        return new Usage(totals[0], totals[1]);
    }
}
