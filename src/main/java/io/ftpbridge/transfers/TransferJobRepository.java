package io.ftpbridge.transfers;

import io.ftpbridge.remotes.DataMode;
import io.ftpbridge.remotes.TransferType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Jobs, their files and transcripts in the database. Plain SQL because claiming needs
 * {@code SELECT ... FOR UPDATE SKIP LOCKED}, which PostgreSQL and H2 2.x both understand.
 */
@Repository
class TransferJobRepository {

    private static final String JOB_COLUMNS = "id, remote, direction, remote_path, folder, local_path, glob, recursive,"
            + " append_mode, overwrite, data_mode, transfer_type, verify, state, attempts, error, planned, cancel_requested, owner,"
            + " bytes_done, created_at, started_at, finished_at";

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;

    TransferJobRepository(JdbcClient jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    /** Tells listeners (events/) the job's new state, inside the transaction that set it. */
    private void stateChanged(long id) {
        find(id).ifPresent(job -> events.publishEvent(new TransferStateChanged(id, job.state().name(), job.remote(),
                job.direction().name(), job.folder(), job.localPath(), job.error())));
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    @Transactional
    long insert(TransferRequest r, boolean glob, boolean recursive, boolean append, Overwrite overwrite, boolean verify) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                INSERT INTO transfer_job (remote, direction, remote_path, folder, local_path, glob, recursive, append_mode,
                                          overwrite, data_mode, transfer_type, verify, state, created_at)
                VALUES (:remote, :direction, :remotePath, :folder, :localPath, :glob, :recursive, :append,
                        :overwrite, :dataMode, :transferType, :verify, 'QUEUED', :now)""")
                .param("remote", r.remote()).param("direction", r.direction().name())
                .param("remotePath", r.remotePath()).param("folder", r.folder()).param("localPath", r.localPath())
                .param("glob", glob).param("recursive", recursive).param("append", append)
                .param("overwrite", overwrite.name()).param("dataMode", r.dataMode() == null ? null : r.dataMode().name())
                .param("transferType", r.transferType() == null ? null : r.transferType().name())
                .param("verify", verify).param("now", now())
                .update(keys, "id");
        long id = keys.getKey().longValue();
        stateChanged(id);
        return id;
    }

    Optional<TransferJob> find(long id) {
        return jdbc.sql("SELECT " + JOB_COLUMNS + " FROM transfer_job WHERE id = :id").param("id", id)
                .query(TransferJobRepository::job).optional();
    }

    List<TransferJob> list(JobState state, int page, int size) {
        String where = state == null ? "" : " WHERE state = :state";
        var spec = jdbc.sql("SELECT " + JOB_COLUMNS + " FROM transfer_job" + where
                + " ORDER BY id DESC LIMIT :limit OFFSET :offset")
                .param("limit", size).param("offset", (long) page * size);
        if (state != null) {
            spec = spec.param("state", state.name());
        }
        return spec.query(TransferJobRepository::job).list();
    }

    long count(JobState state) {
        if (state == null) {
            return jdbc.sql("SELECT COUNT(*) FROM transfer_job").query(Long.class).single();
        }
        return jdbc.sql("SELECT COUNT(*) FROM transfer_job WHERE state = :state").param("state", state.name())
                .query(Long.class).single();
    }

    /**
     * Claims up to {@code max} jobs for {@code owner}: queued ones and running ones whose lease ran
     * out (their instance died). Rows another transaction is claiming are skipped, not waited for,
     * so two instances never take the same job.
     */
    @Transactional
    List<Long> claim(String owner, int max, Duration lease) {
        OffsetDateTime now = now();
        List<Long> ids = jdbc.sql("""
                SELECT id FROM transfer_job
                WHERE state = 'QUEUED' OR (state = 'RUNNING' AND lease_until < :now)
                ORDER BY id LIMIT :max FOR UPDATE SKIP LOCKED""")
                .param("now", now).param("max", max)
                .query(Long.class).list();
        List<Long> claimed = new ArrayList<>();
        for (Long id : ids) {
            // the state condition again: a second guard, should a database ignore SKIP LOCKED
            int updated = jdbc.sql("""
                    UPDATE transfer_job SET state = 'RUNNING', owner = :owner, lease_until = :lease,
                           started_at = COALESCE(started_at, :now), finished_at = NULL
                    WHERE id = :id AND (state = 'QUEUED' OR (state = 'RUNNING' AND lease_until < :now))""")
                    .param("owner", owner).param("lease", now.plus(lease)).param("now", now).param("id", id)
                    .update();
            if (updated == 1) {
                claimed.add(id);
                stateChanged(id);
            }
        }
        return claimed;
    }

    /** Renews the lease and saves progress; false when this instance no longer holds the job. */
    boolean heartbeat(long id, String owner, Duration lease, long bytesDone) {
        return jdbc.sql("""
                UPDATE transfer_job SET lease_until = :lease, bytes_done = :bytes
                WHERE id = :id AND owner = :owner AND state = 'RUNNING'""")
                .param("lease", now().plus(lease)).param("bytes", bytesDone).param("id", id).param("owner", owner)
                .update() == 1;
    }

    boolean cancelRequested(long id) {
        return jdbc.sql("SELECT cancel_requested FROM transfer_job WHERE id = :id").param("id", id)
                .query(Boolean.class).optional().orElse(true);
    }

    int countAttempt(long id, String owner) {
        jdbc.sql("UPDATE transfer_job SET attempts = attempts + 1 WHERE id = :id AND owner = :owner")
                .param("id", id).param("owner", owner).update();
        return jdbc.sql("SELECT attempts FROM transfer_job WHERE id = :id").param("id", id).query(Integer.class).single();
    }

    void recordError(long id, String error) {
        jdbc.sql("UPDATE transfer_job SET error = :error WHERE id = :id").param("error", truncate(error)).param("id", id).update();
    }

    /** Ends a run this instance holds. */
    @Transactional
    boolean finish(long id, String owner, JobState state, String error, long bytesDone) {
        return changed(id, jdbc.sql("""
                UPDATE transfer_job SET state = :state, error = :error, finished_at = :now, owner = NULL,
                       lease_until = NULL, bytes_done = :bytes, cancel_requested = FALSE
                WHERE id = :id AND owner = :owner AND state = 'RUNNING'""")
                .param("state", state.name()).param("error", truncate(error)).param("now", now())
                .param("bytes", bytesDone).param("id", id).param("owner", owner).update() == 1);
    }

    private boolean changed(long id, boolean changed) {
        if (changed) {
            stateChanged(id);
        }
        return changed;
    }

    /** Puts this instance's running jobs back in the queue (a clean shutdown). */
    @Transactional
    int release(String owner) {
        List<Long> ids = jdbc.sql("SELECT id FROM transfer_job WHERE owner = :owner AND state = 'RUNNING'").param("owner", owner)
                .query(Long.class).list();
        int n = jdbc.sql("""
                UPDATE transfer_job SET state = 'QUEUED', owner = NULL, lease_until = NULL
                WHERE owner = :owner AND state = 'RUNNING'""").param("owner", owner).update();
        ids.forEach(this::stateChanged);
        return n;
    }

    @Transactional
    boolean cancelQueued(long id) {
        return changed(id, jdbc.sql("""
                UPDATE transfer_job SET state = 'CANCELLED', finished_at = :now, error = 'cancelled'
                WHERE id = :id AND state = 'QUEUED'""").param("now", now()).param("id", id).update() == 1);
    }

    boolean requestCancel(long id) {
        return jdbc.sql("UPDATE transfer_job SET cancel_requested = TRUE WHERE id = :id AND state = 'RUNNING'")
                .param("id", id).update() == 1;
    }

    @Transactional
    boolean requeue(long id) {
        int n = jdbc.sql("""
                UPDATE transfer_job SET state = 'QUEUED', error = NULL, finished_at = NULL, cancel_requested = FALSE
                WHERE id = :id AND state IN ('FAILED', 'CANCELLED')""").param("id", id).update();
        if (n == 1) {
            // a file caught RUNNING stays RUNNING: it resumes from what it wrote and keeps the remote
            // size recorded before an append, so a retry never appends the same bytes twice
            jdbc.sql("UPDATE transfer_file SET state = 'PENDING', error = NULL WHERE job_id = :id AND state = 'FAILED'")
                    .param("id", id).update();
            stateChanged(id);
        }
        return n == 1;
    }

    // ---- files

    @Transactional
    void plan(long id, List<TransferFile> files) {
        jdbc.sql("DELETE FROM transfer_file WHERE job_id = :id").param("id", id).update();
        for (TransferFile f : files) {
            jdbc.sql("""
                    INSERT INTO transfer_file (job_id, seq, remote_path, local_path, size, base_size, bytes_done, state)
                    VALUES (:job, :seq, :remote, :local, :size, 0, 0, :state)""")
                    .param("job", id).param("seq", f.seq()).param("remote", f.remotePath()).param("local", f.localPath())
                    .param("size", f.size()).param("state", f.state().name()).update();
        }
        jdbc.sql("UPDATE transfer_job SET planned = TRUE WHERE id = :id").param("id", id).update();
    }

    List<TransferFile> files(long id) {
        return jdbc.sql("""
                SELECT job_id, seq, remote_path, local_path, size, base_size, bytes_done, state, error
                FROM transfer_file WHERE job_id = :id ORDER BY seq""").param("id", id)
                .query((rs, n) -> new TransferFile(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getLong(6), rs.getLong(7), FileState.valueOf(rs.getString(8)), rs.getString(9)))
                .list();
    }

    void updateFile(long id, int seq, FileState state, long size, long baseSize, long bytesDone, String error) {
        jdbc.sql("""
                UPDATE transfer_file SET state = :state, size = :size, base_size = :base, bytes_done = :done, error = :error
                WHERE job_id = :id AND seq = :seq""")
                .param("state", state.name()).param("size", size).param("base", baseSize).param("done", bytesDone)
                .param("error", truncate(error)).param("id", id).param("seq", seq).update();
    }

    // ---- transcript

    long lastTranscriptSeq(long id) {
        return jdbc.sql("SELECT COALESCE(MAX(seq), 0) FROM transfer_transcript WHERE job_id = :id").param("id", id)
                .query(Long.class).single();
    }

    /** A recorder's buffered lines, in one transaction. */
    @Transactional
    void appendTranscript(long id, int attempt, String owner, List<TranscriptRecorder.Line> lines) {
        for (TranscriptRecorder.Line line : lines) {
            jdbc.sql("""
                    INSERT INTO transfer_transcript (job_id, seq, attempt, owner, line, logged_at)
                    VALUES (:id, :seq, :attempt, :owner, :line, :at)""")
                    .param("id", id).param("seq", line.seq()).param("attempt", attempt).param("owner", owner)
                    .param("line", truncate(line.text())).param("at", line.at()).update();
        }
    }

    List<String> transcript(long id) {
        return jdbc.sql("SELECT line FROM transfer_transcript WHERE job_id = :id ORDER BY seq").param("id", id)
                .query(String.class).list();
    }

    private static TransferJob job(ResultSet rs, int row) throws SQLException {
        String mode = rs.getString("data_mode");
        String type = rs.getString("transfer_type");
        return new TransferJob(rs.getLong("id"), rs.getString("remote"), Direction.valueOf(rs.getString("direction")),
                rs.getString("remote_path"), rs.getString("folder"), rs.getString("local_path"), rs.getBoolean("glob"),
                rs.getBoolean("recursive"), rs.getBoolean("append_mode"), Overwrite.valueOf(rs.getString("overwrite")),
                mode == null ? null : DataMode.valueOf(mode), type == null ? null : TransferType.valueOf(type), rs.getBoolean("verify"),
                JobState.valueOf(rs.getString("state")), rs.getInt("attempts"), rs.getString("error"),
                rs.getBoolean("planned"), rs.getBoolean("cancel_requested"), rs.getString("owner"),
                rs.getLong("bytes_done"), rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("started_at", OffsetDateTime.class), rs.getObject("finished_at", OffsetDateTime.class));
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 4000);
    }
}
