package io.ftpbridge.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RepeatedFailuresTest {

    private long now = 1_000;
    private final RepeatedFailures failures = new RepeatedFailures(() -> now);

    @Test
    void theFirstFailureIsLoggedThenOneLineAMinuteWithTheCountAndTheRecovery() {
        assertThat(failures.succeeded()).isZero(); // nothing failed: nothing to say
        assertThat(failures.failed()).isZero();
        for (int round = 1; round <= 300; round++) { // a round every 200 ms: the 300th is a minute after the first
            now += TimeUnit.MILLISECONDS.toNanos(200);
            assertThat(failures.failed()).isEqualTo(round == 300 ? 299 : -1);
        }
        now += TimeUnit.MILLISECONDS.toNanos(200);
        assertThat(failures.failed()).isEqualTo(-1);
        assertThat(failures.succeeded()).isEqualTo(302);
        assertThat(failures.succeeded()).isZero();

        // a new outage starts a new run: its first failure is logged at once
        now += TimeUnit.SECONDS.toNanos(1);
        assertThat(failures.failed()).isZero();
        assertThat(failures.succeeded()).isEqualTo(1);
    }
}
