package io.ftpbridge.events;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;
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

    EventRuleRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    long insert(StoredRule r) {
        KeyHolder keys = new GeneratedKeyHolder();
        bind(jdbc.sql("""
                INSERT INTO event_rule (name, enabled, events, folder, username, path_glob, min_size, actions, created_at)
                VALUES (:name, :enabled, :events, :folder, :user, :glob, :minSize, :actions, :now)"""), r)
                .param("now", EventRepository.now()).update(keys, "id");
        return keys.getKey().longValue();
    }

    void update(StoredRule r) {
        bind(jdbc.sql("""
                UPDATE event_rule SET name = :name, enabled = :enabled, events = :events, folder = :folder, username = :user,
                       path_glob = :glob, min_size = :minSize, actions = :actions WHERE id = :id"""), r)
                .param("id", r.id()).update();
    }

    private JdbcClient.StatementSpec bind(JdbcClient.StatementSpec spec, StoredRule r) {
        RuleFilter f = r.filter() == null ? new RuleFilter(null, null, null, null) : r.filter();
        return spec.param("name", r.name()).param("enabled", r.enabled())
                .param("events", String.join(",", r.events().stream().map(Enum::name).toList()))
                .param("folder", f.folder()).param("user", f.user()).param("glob", f.pathGlob()).param("minSize", f.minSize())
                .param("actions", json.writeValueAsString(r.actions()));
    }

    boolean delete(long id) {
        return jdbc.sql("DELETE FROM event_rule WHERE id = :id").param("id", id).update() == 1;
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

    /** Enabled rules that take events of {@code type} (the filter is checked by the caller). */
    List<StoredRule> enabledFor(EventType type) {
        return jdbc.sql("SELECT * FROM event_rule WHERE enabled = TRUE AND events LIKE :type").param("type", "%" + type.name() + "%")
                .query(this::rule).list().stream().filter(r -> r.events().contains(type)).toList();
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
