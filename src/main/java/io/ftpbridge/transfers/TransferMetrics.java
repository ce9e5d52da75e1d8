package io.ftpbridge.transfers;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** {@code ftpbridge.transfers.jobs{state=...}}: jobs in the database by state, read at each scrape. */
@Component
class TransferMetrics {

    TransferMetrics(MeterRegistry meters, TransferJobRepository jobs) {
        for (JobState state : JobState.values()) {
            Gauge.builder("ftpbridge.transfers.jobs", jobs, j -> j.count(state))
                    .tag("state", state.name())
                    .description("transfer jobs by state (all instances)")
                    .register(meters);
        }
    }
}
