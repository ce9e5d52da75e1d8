package io.ftpbridge.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The kernel's own answer: each thread reads its nice value from /proc before and after. */
class BackgroundPriorityTest {

    record Seen(Integer before, Integer returned, Integer after, Integer again, Integer afterAgain) {
    }

    private static Seen lowerOnAThreadOfItsOwn(int increment) throws Exception {
        CompletableFuture<Seen> seen = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            Integer before = BackgroundPriority.niceOfCurrentThread();
            Integer returned = BackgroundPriority.lowerCurrentThread(increment);
            Integer after = BackgroundPriority.niceOfCurrentThread();
            Integer again = BackgroundPriority.lowerCurrentThread(increment);
            seen.complete(new Seen(before, returned, after, again, BackgroundPriority.niceOfCurrentThread()));
        });
        thread.start();
        return seen.get(10, TimeUnit.SECONDS);
    }

    @Test
    void onlyTheCallingThreadIsLoweredAndOnlyOnce() throws Exception {
        int mine = BackgroundPriority.niceOfCurrentThread();
        Seen seen = lowerOnAThreadOfItsOwn(5);

        assertThat(seen.before()).isEqualTo(mine);
        int expected = Math.min(19, mine + 5);
        assertThat(seen.returned()).isEqualTo(expected);
        assertThat(seen.after()).isEqualTo(expected);
        // a second call of the same thread changes nothing (the I/O thread calls for every webhook)
        assertThat(seen.again()).isNull();
        assertThat(seen.afterAgain()).isEqualTo(expected);
        assertThat(BackgroundPriority.niceOfCurrentThread()).isEqualTo(mine);
    }

    @Test
    void anIncrementOfZeroKeepsThePriority() throws Exception {
        int mine = BackgroundPriority.niceOfCurrentThread();
        Seen seen = lowerOnAThreadOfItsOwn(0);

        assertThat(seen.returned()).isNull();
        assertThat(seen.after()).isEqualTo(mine);
    }
}
