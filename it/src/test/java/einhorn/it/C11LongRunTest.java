package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cases/reliability.md C11: respawning never stops in a long run. The case asks for 60 min (5 in CI);
 * the suite runs it for {@code it.c11.seconds} (default 30) to stay within its time budget;
 * {@code -Dit.c11.seconds=300} gives the CI length of the case.
 */
class C11LongRunTest {
    static final long SECONDS = Long.getLong("it.c11.seconds", 30);
    @TempDir
    Path dir;

    @Test
    void twentyShortLivedWorkersKeepBeingReplacedWithoutLeaks() {
        Path shortW = Workers.script(dir, "short", "#!/bin/sh\nexec sleep $(( $$ % 9 + 1 ))\n");
        try (Master m = Master.start(dir, "-n", "20", "-m", "0.1", "-s", "0.1", "--", shortW.toString())) {
            await().atMost(Duration.ofSeconds(15)).until(() -> m.workers().size() >= 16);
            long begin = System.nanoTime();
            int fdsAtStart = -1;
            for (int sample = 1; sample * 10L <= SECONDS; sample++) {
                // The case samples every 10 s; this paces the samples, it does not wait for a condition.
                LockSupport.parkNanos(begin + sample * 10_000_000_000L - System.nanoTime());
                assertThat(m.workers().size()).as("live workers at sample %d", sample).isGreaterThanOrEqualTo(16);
                assertThat(m.zombies()).as("zombies at sample %d", sample).isEmpty();
                if (fdsAtStart < 0) fdsAtStart = Procs.fds(m.pid()).size();
                long t0 = System.nanoTime();
                State s = m.state();
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("state latency").isLessThan(Duration.ofSeconds(1));
                assertThat(s.children().size()).isGreaterThanOrEqualTo(16);
            }
            assertThat(Procs.fds(m.pid()).size()).as("master fd count").isBetween(fdsAtStart - 2, fdsAtStart + 2);
            assertThat(Shell.exec(m.sock, "inc").out()).contains("20 -> 21");
            assertThat(Shell.exec(m.sock, "dec").out()).contains("21 -> 20");
            assertThat(m.state().number()).isEqualTo(20);
            assertThat(m.alive()).isTrue();
        }
    }
}
