package io.ftpbridge.events;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Event rules; their actions are kept as JSON, webhook secrets in it encrypted. */
@Repository
class EventRuleRepository {

    /** A rule as stored: secrets still encrypted. */
    record StoredRule(long id, String name, boolean enabled, List<EventType> events, RuleFilter filter,
                      List<RuleAction> actions, OffsetDateTime createdAt) {
    }

    private static final TypeReference<List<RuleAction>> ACTIONS = new TypeReference<>() { };

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final AtomicLong localChanges = new AtomicLong();

    EventRuleRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Inserts a rule and raises the revision, in one transaction. */
    @Transactional
    long insert(StoredRule r) {
        KeyHolder keys = new GeneratedKeyHolder();
        bind(jdbc.sql("""
                INSERT INTO event_rule (name, enabled, events, folder, username, path_glob, min_size, actions, created_at)
                VALUES (:name, :enabled, :events, :folder, :user, :glob, :minSize, :actions, :now)"""), r)
                .param("now", EventRepository.now()).update(keys, "id");
        changed();
        return keys.getKey().longValue();
    }

    @Transactional
    void update(StoredRule r) {
        bind(jdbc.sql("""
                UPDATE event_rule SET name = :name, enabled = :enabled, events = :events, folder = :folder, username = :user,
                       path_glob = :glob, min_size = :minSize, actions = :actions WHERE id = :id"""), r)
                .param("id", r.id()).update();
        changed();
    }

    private JdbcClient.StatementSpec bind(JdbcClient.StatementSpec spec, StoredRule r) {
        RuleFilter f = r.filter() == null ? new RuleFilter(null, null, null, null) : r.filter();
        return spec.param("name", r.name()).param("enabled", r.enabled())
                .param("events", String.join(",", r.events().stream().map(Enum::name).toList()))
                .param("folder", f.folder()).param("user", f.user()).param("glob", f.pathGlob()).param("minSize", f.minSize())
                .param("actions", json.writeValueAsString(r.actions()));
    }

    @Transactional
    boolean delete(long id) {
        boolean deleted = jdbc.sql("DELETE FROM event_rule WHERE id = :id").param("id", id).update() == 1;
        if (deleted) {
            changed();
        }
        return deleted;
    }

    /** Raises the revision in the current transaction; tells this instance's {@link RuleCache} once it commits. */
    private void changed() {
        jdbc.sql("UPDATE event_rule_revision SET revision = revision + 1 WHERE id = 1").update();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    localChanges.incrementAndGet();
                }
            });
        } else {
            localChanges.incrementAndGet();
        }
    }

    /** Counts rule changes committed by this instance (they show before another instance's would). */
    long localChanges() {
        return localChanges.get();
    }

    /** Raised by every committed rule change, on any instance. */
    long revision() {
        return jdbc.sql("SELECT revision FROM event_rule_revision WHERE id = 1").query(Long.class).single();
    }

    /** Every rule, enabled or not. */
    List<StoredRule> all() {
        return jdbc.sql("SELECT * FROM event_rule").query(this::rule).list();
    }

    Optional<StoredRule> find(long id) {
        return jdbc.sql("SELECT * FROM event_rule WHERE id = :id").param("id", id).query(this::rule).optional();
    }

    /** The rules of a batch of deliveries, by id (a deleted rule is missing). */
    Map<Long, StoredRule> findAll(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return jdbc.sql("SELECT * FROM event_rule WHERE id IN (:ids)").param("ids", ids).query(this::rule).list().stream()
                .collect(Collectors.toMap(StoredRule::id, r -> r));
    }

    boolean nameTaken(String name, long exceptId) {
        return jdbc.sql("SELECT COUNT(*) FROM event_rule WHERE name = :name AND id <> :id").param("name", name)
                .param("id", exceptId).query(Long.class).single() > 0;
    }

    List<StoredRule> list(int page, int size) {
        return jdbc.sql("SELECT * FROM event_rule ORDER BY id LIMIT :limit OFFSET :offset").param("limit", size)
                .param("offset", (long) page * size).query(this::rule).list();
    }

    long count() {
        return jdbc.sql("SELECT COUNT(*) FROM event_rule").query(Long.class).single();
    }

    private StoredRule rule(ResultSet rs, int row) throws SQLException {
        long minSize = rs.getLong("min_size");
        Long min = rs.wasNull() ? null : minSize;
        RuleFilter filter = new RuleFilter(rs.getString("folder"), rs.getString("username"), rs.getString("path_glob"), min);
        List<EventType> events = Arrays.stream(rs.getString("events").split(",")).filter(s -> !s.isBlank())
                .map(EventType::valueOf).toList();
        return new StoredRule(rs.getLong("id"), rs.getString("name"), rs.getBoolean("enabled"), events, filter,
                json.readValue(rs.getString("actions"), ACTIONS), rs.getObject("created_at", OffsetDateTime.class));
    }
}
