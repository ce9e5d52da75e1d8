package io.ftpbridge.events;

import java.time.OffsetDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes events older than {@code ftpbridge.events.retention}, with their delivery log, every hour on every
 * instance (deleting what another instance deleted already does nothing). An event with a delivery still pending
 * stays until that delivery is done. Deleted in batches, so no transaction holds many rows.
 */
@Component
class EventRetention {

    private static final Logger log = LoggerFactory.getLogger(EventRetention.class);
    private static final int BATCH = 1000;

    private final EventRepository events;
    private final EventsProperties properties;

    EventRetention(EventRepository events, EventsProperties properties) {
        this.events = events;
        this.properties = properties;
    }

    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT1H")
    void purge() {
        try {
            purgeOlderThan(EventRepository.now().minus(properties.retention()));
        } catch (RuntimeException e) {
            log.warn("Events past retention not deleted: retention={} error={}", properties.retention(), e.toString());
        }
    }

    /** Deletes every event before {@code before} that no pending delivery needs; returns how many. */
    int purgeOlderThan(OffsetDateTime before) {
        int total = 0;
        for (int deleted = BATCH; deleted == BATCH; total += deleted) {
            deleted = events.deleteOlderThan(before, BATCH);
        }
        if (total > 0) {
            log.info("Events past retention deleted: rows={} before={} retention={}", total, before, properties.retention());
        }
        return total;
    }
}
