package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §7.4/§7.5: exits are logged with their status, dead workers are replaced, crash loops back off. */
class RespawnTest {
    static final Duration T = Duration.ofSeconds(15);
    @TempDir
    Path dir;

    @Test
    void aKilledAckedWorkerIsReplacedAtOnceAndItsDeathLogged() {
        Workers.pythonWorker(dir);
        try (Master m = Master.start(dir, "-n", "2", "-m", "manual", "--", dir.resolve("w.py").toString())) {
            await().atMost(T).until(() -> m.state().settled(2));
            State before = m.state();
            State.Child victim = before.children().getFirst();
            Procs.kill(victim.pid(), "KILL");
            Line exit = m.waitForLog("===> Exited worker " + victim.pid() + " \\(killed by SIGKILL\\)", T);
            await().atMost(Duration.ofSeconds(3)).until(() -> m.workers().size() == 2 && !m.workers().contains(victim.pid()));
            Line launched = m.waitForLog("===> Launched \\d+ \\(index: " + victim.index() + "\\)", 2, T).get(1);
            assertThat(Duration.ofNanos(launched.nanos() - exit.nanos())).as("replacement delay").isLessThan(Duration.ofSeconds(1));
            await().atMost(T).until(() -> m.state().settled(2));
            assertThat(m.zombies()).isEmpty();
        }
    }

    @Test
    void exitStatusOfAnAckedWorkerIsLogged() {
        Workers.pythonWorker(dir);
        try (Master m = Master.start(dir, "-m", "manual", "--", dir.resolve("w.py").toString(), "exit=3@0.3")) {
            m.waitForLog("===> Exited worker \\d+ \\(exit status 3\\)", T);
        }
    }

    @Test
    void workersThatCrashBeforeAckingAreRespawnedWithGrowingGaps() {
        Workers.pythonWorker(dir);
        try (Master m = Master.start(dir, "-m", "manual", "-s", "0.2", "--", dir.resolve("w.py").toString(), "ack=none", "exit=1@0")) {
            m.waitForLog("===> Launched", 6, Duration.ofSeconds(30));
            m.waitForLog("===> Exited worker \\d+ before it was ACKed \\(exit status 1\\)", T);
            // Worker start times (CLOCK_MONOTONIC, written by each worker) track the spawns without log latency.
            await().atMost(T).until(() -> Events.of(dir, "start").size() >= 6);
            List<Events.Event> starts = Events.of(dir, "start");
            List<Double> gaps = new ArrayList<>();
            for (int i = 1; i < 6; i++) gaps.add((starts.get(i).nanos() - starts.get(i - 1).nanos()) / 1e9);
            // d deaths before ack: interval = 0.2 * 1.5^d; the k-th respawn follows the k-th death.
            for (int k = 0; k < gaps.size(); k++) {
                double interval = 0.2 * Math.pow(1.5, k + 1);
                assertThat(gaps.get(k)).as("gap %d of %s", k, gaps).isGreaterThanOrEqualTo(interval * 0.9 - 0.05);
                if (k > 0) assertThat(gaps.get(k)).as("gaps never shrink: %s", gaps).isGreaterThanOrEqualTo(gaps.get(k - 1) * 0.9);
            }
            assertThat(gaps.getLast()).as("gaps grow: %s", gaps).isGreaterThan(gaps.getFirst() * 2);
            assertThat(((Number) m.state().get("consecutive_deaths_before_ack")).intValue()).isGreaterThanOrEqualTo(5);
        }
    }
}
