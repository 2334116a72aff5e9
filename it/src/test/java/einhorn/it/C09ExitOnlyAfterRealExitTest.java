package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cases/reliability.md C9. A worker counts as gone only after it has really exited. */
class C09ExitOnlyAfterRealExitTest {
    @TempDir
    Path dir;

    @Test
    void dieTermKillsDeafWorkersAfterTheTimeoutAndExitsOnlyAfterReapingThem() {
        Path deaf = Workers.wrapper(dir, "deaf", "usr2=ignore", "term=ignore");
        try (Master m = Master.start(dir, "-n", "2", "-m", "manual", "-t", "1", "--", deaf.toString())) {
            await().atMost(Duration.ofSeconds(15)).until(() -> m.state().settled(2));
            List<Long> pids = m.state().pids();
            Shell.Result r = Shell.exec(m.sock, "die TERM");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).isEqualTo("Einhorn is going down! Sent TERM to 2 workers\n");
            assertThat(m.waitExit(Duration.ofSeconds(10))).isZero();
            assertThat(pids).noneMatch(p -> Procs.stat(p).isPresent());
            assertThat(m.processesOfThisMaster()).isEmpty();
            for (long pid : pids) {
                long term = Events.of(dir, "TERM", pid).getFirst().nanos();
                List<Line> kill = m.logLines("Child " + pid + " is still active after 1(\\.0)?s\\. Sending SIGKILL");
                assertThat(kill).hasSize(1);
                double after = (kill.getFirst().nanos() - term) / 1e9;
                assertThat(after).as("KILL of %d %.2f s after TERM", pid, after).isBetween(0.9, 2.0);
                List<Line> exits = m.logLines("===> Exited worker " + pid + "\\b");
                assertThat(exits).hasSize(1);
                assertThat(exits.getFirst().text()).contains("(killed by SIGKILL)");
                assertThat(m.stderr().indexOf(exits.getFirst())).isGreaterThan(m.stderr().indexOf(kill.getFirst()));
            }
        }
    }
}
