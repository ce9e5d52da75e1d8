package io.ftpbridge.transfers;

import io.ftpbridge.remotes.DataMode;
import io.ftpbridge.remotes.TransferType;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.OffsetDateTime;
import java.util.List;

/** A transfer job as {@code GET /api/v1/transfers/{id}} shows it. */
public record TransferResponse(long id, JobState state, String remote, Direction direction, String remotePath,
                               String folder, String localPath, boolean glob, boolean recursive, boolean append,
                               Overwrite overwrite, @Schema(nullable = true) DataMode dataMode,
                               @Schema(nullable = true) TransferType transferType, boolean verify,
                               OffsetDateTime createdAt, @Schema(nullable = true) OffsetDateTime startedAt,
                               @Schema(nullable = true) OffsetDateTime finishedAt, int attempts,
                               @Schema(nullable = true) String error, @Schema(nullable = true) String runBy,
                               Progress progress, List<FileView> files) {

    /** Live progress; {@code bytesPerSecond} and {@code etaSeconds} are 0 / null when not running. */
    public record Progress(int files, int filesDone, long bytesTotal, long bytesDone, double percent,
                           long bytesPerSecond, @Schema(nullable = true) Long etaSeconds) {

        static Progress of(int files, int filesDone, long total, long done, long rate) {
            double percent = total > 0 ? Math.min(100.0, Math.round(done * 1000.0 / total) / 10.0) : 0;
            Long eta = rate > 0 && total >= done ? (total - done + rate - 1) / rate : null;
            return new Progress(files, filesDone, total, done, percent, rate, eta);
        }
    }

    public record FileView(String path, long size, FileState state, long bytesDone,
                           @Schema(nullable = true) String error) {
    }
}
