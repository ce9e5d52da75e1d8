package io.ftpbridge.schedules;

import io.ftpbridge.transfers.TransferRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** Schedules, their runs and the source files they handled. */
@Repository
class ScheduleRepository {

    record Stored(long id, String name, String cron, String timeZone, boolean enabled, ScheduleRequest.Overlap overlap,
                  TransferRequest job, boolean onlyNew, ScheduleRequest.AfterSuccess afterSuccess, String moveTo,
                  OffsetDateTime nextRunAt, OffsetDateTime queuedFire) {
    }

    record PendingFile(long id, long scheduleId, String path, long jobId) {
    }

    /** A file verified at its destination whose source still owes afterSuccess (state SOURCE). */
    record OwedFile(long id, long scheduleId, String path, long size, Instant modified, long jobId, int attempts) {
    }

    private final JdbcClient jdbc;
    private final JsonMapper json;

    ScheduleRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    long insert(Stored s) {
        KeyHolder keys = new GeneratedKeyHolder();
        bind(jdbc.sql("""
                INSERT INTO transfer_schedule (name, cron, time_zone, enabled, overlap, job, only_new, after_success, move_to,
                                               next_run_at, created_at)
                VALUES (:name, :cron, :zone, :enabled, :overlap, :job, :onlyNew, :after, :moveTo, :next, :now)"""), s)
                .param("now", now()).update(keys, "id");
        return keys.getKey().longValue();
    }

    void update(Stored s) {
        bind(jdbc.sql("""
                UPDATE transfer_schedule SET name = :name, cron = :cron, time_zone = :zone, enabled = :enabled, overlap = :overlap,
                       job = :job, only_new = :onlyNew, after_success = :after, move_to = :moveTo, next_run_at = :next,
                       queued_fire = NULL
                WHERE id = :id"""), s).param("id", s.id()).update();
    }

    private JdbcClient.StatementSpec bind(JdbcClient.StatementSpec spec, Stored s) {
        return spec.param("name", s.name()).param("cron", s.cron()).param("zone", s.timeZone()).param("enabled", s.enabled())
                .param("overlap", s.overlap().name()).param("job", json.writeValueAsString(s.job())).param("onlyNew", s.onlyNew())
                .param("after", s.afterSuccess().name()).param("moveTo", s.moveTo()).param("next", s.nextRunAt());
    }

    boolean delete(long id) {
        return jdbc.sql("DELETE FROM transfer_schedule WHERE id = :id").param("id", id).update() == 1;
    }

    Optional<Stored> find(long id) {
        return jdbc.sql("SELECT * FROM transfer_schedule WHERE id = :id").param("id", id).query(this::schedule).optional();
    }

    boolean nameTaken(String name, long exceptId) {
        return jdbc.sql("SELECT COUNT(*) FROM transfer_schedule WHERE name = :name AND id <> :id").param("name", name)
                .param("id", exceptId).query(Long.class).single() > 0;
    }

    List<Stored> list(int page, int size) {
        return jdbc.sql("SELECT * FROM transfer_schedule ORDER BY id LIMIT :limit OFFSET :offset").param("limit", size)
                .param("offset", (long) page * size).query(this::schedule).list();
    }

    long count() {
        return jdbc.sql("SELECT COUNT(*) FROM transfer_schedule").query(Long.class).single();
    }

    /** Enabled schedules with a due time passed, or a queued firing waiting for the last run. */
    List<Stored> due(OffsetDateTime now) {
        return jdbc.sql("""
                SELECT * FROM transfer_schedule
                WHERE enabled = TRUE AND (next_run_at <= :now OR queued_fire IS NOT NULL) ORDER BY id""")
                .param("now", now).query(this::schedule).list();
    }

    /**
     * Takes the due time {@code due} for this instance by moving the schedule to {@code next}: only one
     * instance's update matches, so each due time fires once across all instances.
     */
    boolean claimDue(long id, OffsetDateTime due, OffsetDateTime next) {
        return jdbc.sql("UPDATE transfer_schedule SET next_run_at = :next WHERE id = :id AND next_run_at = :due")
                .param("next", next).param("id", id).param("due", due).update() == 1;
    }

    boolean queueFire(long id, OffsetDateTime due, OffsetDateTime next) {
        return jdbc.sql("UPDATE transfer_schedule SET next_run_at = :next, queued_fire = :due WHERE id = :id AND next_run_at = :dueWas")
                .param("next", next).param("due", due).param("id", id).param("dueWas", due).update() == 1;
    }

    /** Run-now behind an active run: queued, or folded into a firing already queued. */
    void queueNow(long id, OffsetDateTime at) {
        jdbc.sql("UPDATE transfer_schedule SET queued_fire = COALESCE(queued_fire, :at) WHERE id = :id")
                .param("at", at).param("id", id).update();
    }

    boolean claimQueued(long id, OffsetDateTime queued) {
        return jdbc.sql("UPDATE transfer_schedule SET queued_fire = NULL WHERE id = :id AND queued_fire = :queued")
                .param("id", id).param("queued", queued).update() == 1;
    }

    void addRun(long scheduleId, OffsetDateTime firedAt, Long jobId) {
        jdbc.sql("INSERT INTO schedule_run (schedule_id, fired_at, job_id) VALUES (:id, :fired, :job)")
                .param("id", scheduleId).param("fired", firedAt).param("job", jobId).update();
    }

    List<ScheduleResponse.Run> lastRuns(long scheduleId, int max) {
        return jdbc.sql("SELECT fired_at, job_id FROM schedule_run WHERE schedule_id = :id ORDER BY id DESC LIMIT :max")
                .param("id", scheduleId).param("max", max)
                .query((rs, n) -> {
                    OffsetDateTime fired = rs.getObject(1, OffsetDateTime.class);
                    long job = rs.getLong(2);
                    return new ScheduleResponse.Run(fired, rs.wasNull() ? null : job);
                }).list();
    }

    /**
     * Jobs of the latest firing that started any: the latest recorded, not the latest due time (a run-now
     * is recorded at its moment, a queued or missed due time at its earlier one).
     */
    List<Long> lastFiringJobs(long scheduleId) {
        return jdbc.sql("""
                SELECT job_id FROM schedule_run WHERE schedule_id = :id AND job_id IS NOT NULL AND fired_at =
                  (SELECT fired_at FROM schedule_run WHERE schedule_id = :id AND job_id IS NOT NULL ORDER BY id DESC LIMIT 1)""")
                .param("id", scheduleId).query(Long.class).list();
    }

    /**
     * Whether the source file is being transferred, waits for its afterSuccess, or (onlyNew) was
     * transferred with this size and modification time.
     */
    boolean seen(long scheduleId, String path, long size, Instant modified, boolean remembered) {
        if (!remembered) {
            return jdbc.sql("""
                    SELECT COUNT(*) FROM schedule_file WHERE schedule_id = :id AND path = :path AND state IN ('PENDING', 'SOURCE')""")
                    .param("id", scheduleId).param("path", path).query(Long.class).single() > 0;
        }
        var spec = jdbc.sql("""
                SELECT COUNT(*) FROM schedule_file WHERE schedule_id = :id AND path = :path
                  AND (state IN ('PENDING', 'SOURCE') OR (state = 'DONE' AND size = :size AND"""
                        + (modified == null ? " modified IS NULL" : " modified = :modified") + "))")
                .param("id", scheduleId).param("path", path).param("size", size);
        if (modified != null) {
            spec = spec.param("modified", modified.atOffset(ZoneOffset.UTC));
        }
        return spec.query(Long.class).single() > 0;
    }

    void addFile(long scheduleId, String path, long size, Instant modified, long jobId) {
        jdbc.sql("""
                INSERT INTO schedule_file (schedule_id, path, size, modified, job_id, state, updated_at)
                VALUES (:id, :path, :size, :modified, :job, 'PENDING', :now)""")
                .param("id", scheduleId).param("path", path).param("size", size)
                .param("modified", modified == null ? null : modified.atOffset(ZoneOffset.UTC)).param("job", jobId)
                .param("now", now()).update();
    }

    List<PendingFile> pendingFiles() {
        return jdbc.sql("SELECT id, schedule_id, path, job_id FROM schedule_file WHERE state = 'PENDING' ORDER BY id")
                .query((rs, n) -> new PendingFile(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4))).list();
    }

    /** A pending file whose copy is complete and needs nothing at the source (KEEP); false when another took it. */
    boolean fileDone(long id) {
        return jdbc.sql("UPDATE schedule_file SET state = 'DONE', updated_at = :now WHERE id = :id AND state = 'PENDING'")
                .param("now", now()).param("id", id).update() == 1;
    }

    /**
     * Records that the source owes afterSuccess for a copy verified complete with {@code verifiedSize}
     * bytes, before the source is touched; false when another instance took the file.
     */
    boolean oweSource(long id, long verifiedSize) {
        OffsetDateTime now = now();
        return jdbc.sql("""
                UPDATE schedule_file SET state = 'SOURCE', size = :size, source_attempts = 0, source_next_at = :now, updated_at = :now
                WHERE id = :id AND state = 'PENDING'""")
                .param("size", verifiedSize).param("now", now).param("id", id).update() == 1;
    }

    /** A file whose job failed is forgotten, so the next firing tries it again; false when another did it. */
    boolean forgetPending(long id) {
        return jdbc.sql("DELETE FROM schedule_file WHERE id = :id AND state = 'PENDING'").param("id", id).update() == 1;
    }

    List<OwedFile> owedDue(OffsetDateTime now) {
        return jdbc.sql("""
                SELECT id, schedule_id, path, size, modified, job_id, source_attempts FROM schedule_file
                WHERE state = 'SOURCE' AND source_next_at <= :now ORDER BY id""")
                .param("now", now)
                .query((rs, n) -> {
                    OffsetDateTime modified = rs.getObject(5, OffsetDateTime.class);
                    return new OwedFile(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4),
                            modified == null ? null : modified.toInstant(), rs.getLong(6), rs.getInt(7));
                }).list();
    }

    /** Makes a schedule's owed source actions due now (its next firing finishes them first). */
    void owedDueNow(long scheduleId) {
        jdbc.sql("UPDATE schedule_file SET source_next_at = :now WHERE schedule_id = :id AND state = 'SOURCE'")
                .param("now", now()).param("id", scheduleId).update();
    }

    /** Makes every owed source action due now (at startup: what a crash left is finished first). */
    int allOwedDueNow() {
        return jdbc.sql("UPDATE schedule_file SET source_next_at = :now WHERE state = 'SOURCE'").param("now", now()).update();
    }

    /**
     * Takes an owed source action for one attempt, moving its next try to {@code retryAt} first, so a
     * crash during the attempt leaves it to be tried again; false when another instance took it.
     */
    boolean claimOwed(OwedFile f, OffsetDateTime retryAt) {
        return jdbc.sql("""
                UPDATE schedule_file SET source_attempts = source_attempts + 1, source_next_at = :retry, updated_at = :now
                WHERE id = :id AND state = 'SOURCE' AND source_attempts = :attempts""")
                .param("retry", retryAt).param("now", now()).param("id", f.id()).param("attempts", f.attempts()).update() == 1;
    }

    void owedSettled(long id) {
        jdbc.sql("UPDATE schedule_file SET state = 'DONE', source_error = NULL, updated_at = :now WHERE id = :id AND state = 'SOURCE'")
                .param("now", now()).param("id", id).update();
    }

    void owedFailed(long id, String error) {
        jdbc.sql("UPDATE schedule_file SET source_error = :error, updated_at = :now WHERE id = :id")
                .param("error", error.length() > 1024 ? error.substring(0, 1024) : error).param("now", now()).param("id", id).update();
    }

    private Stored schedule(ResultSet rs, int row) throws SQLException {
        return new Stored(rs.getLong("id"), rs.getString("name"), rs.getString("cron"), rs.getString("time_zone"),
                rs.getBoolean("enabled"), ScheduleRequest.Overlap.valueOf(rs.getString("overlap")),
                json.readValue(rs.getString("job"), TransferRequest.class), rs.getBoolean("only_new"),
                ScheduleRequest.AfterSuccess.valueOf(rs.getString("after_success")), rs.getString("move_to"),
                rs.getObject("next_run_at", OffsetDateTime.class), rs.getObject("queued_fire", OffsetDateTime.class));
    }
}
