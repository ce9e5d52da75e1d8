package io.ftpbridge.events;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The event rules in memory: the publisher needs the rules of every event's type, the delivery worker
 * the rules of every round's deliveries, and reading and parsing them for each cost more than the event.
 * A change committed on this instance is seen at once; one committed on another instance (sharing the
 * database) within {@code ftpbridge.events.rules-refresh}, by a read of the revision every change raises.
 */
@Component
class RuleCache {

    private record Snapshot(long revision, long localChanges, long checkedAtNanos,
                            Map<EventType, List<EventRuleRepository.StoredRule>> enabledByType,
                            Map<Long, EventRuleRepository.StoredRule> byId) {

        Snapshot checkedAt(long nanos) {
            return new Snapshot(revision, localChanges, nanos, enabledByType, byId);
        }
    }

    private final EventRuleRepository rules;
    private final long refreshNanos;
    private volatile Snapshot snapshot;

    RuleCache(EventRuleRepository rules, EventsProperties properties) {
        this.rules = rules;
        this.refreshNanos = properties.rulesRefresh().toNanos();
    }

    /** Enabled rules that take events of {@code type} (the filter is checked by the caller). */
    List<EventRuleRepository.StoredRule> enabledFor(EventType type) {
        return current().enabledByType().getOrDefault(type, List.of());
    }

    /** The rules of a batch of deliveries, by id (a deleted rule is missing); one not known yet is read. */
    Map<Long, EventRuleRepository.StoredRule> findAll(Collection<Long> ids) {
        Map<Long, EventRuleRepository.StoredRule> known = current().byId();
        Map<Long, EventRuleRepository.StoredRule> found = new HashMap<>();
        List<Long> missing = new ArrayList<>();
        for (Long id : ids) {
            EventRuleRepository.StoredRule rule = known.get(id);
            if (rule != null) {
                found.put(id, rule);
            } else {
                missing.add(id);
            }
        }
        found.putAll(rules.findAll(missing));
        return found;
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        long now = System.nanoTime();
        long changes = rules.localChanges();
        if (s != null && s.localChanges() == changes && now - s.checkedAtNanos() < refreshNanos) {
            return s;
        }
        return refresh(changes, now);
    }

    /**
     * Not synchronized: a thread that waited here could hold a pooled connection (its transaction) that the
     * refreshing thread needs; two threads refreshing at once only read the same rules twice.
     */
    private Snapshot refresh(long changes, long now) {
        Snapshot s = snapshot;
        // the revision before the rules: a change committed in between makes the next check read them again
        long revision = rules.revision();
        if (s != null && s.localChanges() == changes && s.revision() == revision) {
            s = s.checkedAt(now);
        } else {
            Map<EventType, List<EventRuleRepository.StoredRule>> byType = new EnumMap<>(EventType.class);
            Map<Long, EventRuleRepository.StoredRule> byId = new HashMap<>();
            for (EventRuleRepository.StoredRule rule : rules.all()) {
                byId.put(rule.id(), rule);
                if (rule.enabled()) {
                    rule.events().forEach(type -> byType.computeIfAbsent(type, t -> new ArrayList<>()).add(rule));
                }
            }
            byType.replaceAll((type, list) -> List.copyOf(list.stream()
                    .sorted((a, b) -> Long.compare(a.id(), b.id())).toList()));
            s = new Snapshot(revision, changes, now, byType, Map.copyOf(byId));
        }
        snapshot = s;
        return s;
    }
}
