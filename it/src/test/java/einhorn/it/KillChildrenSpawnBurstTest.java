package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code -k} the master spawns workers (and re-executes itself) on its primordial thread,
 * reached by a thread-directed signal whose handler is an FFM upcall. Spawning many workers back to
 * back (first launch, fleet upgrades) must not cost the master: it stays alive, never logs a JVM
 * fatal error, and ends with every worker acked. Found by bench/soak, which runs with -k.
 */
class KillChildrenSpawnBurstTest {
    static final Duration T = Duration.ofSeconds(30);
    @TempDir
    Path dir;

    @Test
    void aFirstLaunchOfEightWorkersWithDashKKeepsTheMasterAlive() {
        try (Master m = Master.start(dir, "-k", "-n", "8", "-m", "0", "--", "/bin/sleep", "1000")) {
            await().atMost(T).until(() -> !m.alive() || (m.state().settled(8) && m.workers().size() == 8));
            assertThat(m.alive()).as("master alive; log:\n%s\nstdout:\n%s", m.tail(), m.stdoutText()).isTrue();
            assertThat(m.stdoutText() + m.stderrText()).doesNotContain("A fatal error has been detected");
        }
    }

    @Test
    void tenFleetUpgradesOfFourWorkersWithDashKKeepTheMasterAlive() throws InterruptedException {
        try (Master m = Master.start(dir, "-k", "-n", "4", "-m", "0", "-s", "0.05", "--", "/bin/sleep", "1000")) {
            await().atMost(T).until(() -> !m.alive() || m.state().settled(4));
            for (int i = 1; i <= 10 && m.alive(); i++) {
                try (Ctl c = Ctl.connect(m.sock)) {
                    c.send("{\"id\":" + i + ",\"command\":\"upgrade_fleet\"}");
                    List<Reply> rs = c.readUntilFinal(Duration.ofSeconds(60));
                    assertThat(rs.getLast().message()).as("fleet upgrade %d; log:\n%s", i, m.tail()).isEqualTo("Upgrade done");
                } catch (AssertionError e) {
                    boolean exited = !m.alive() || m.process().waitFor(3, java.util.concurrent.TimeUnit.SECONDS);
                    throw new AssertionError("fleet upgrade " + i + " (master exited within 3 s: " + exited + "); log:\n"
                            + m.tail() + "\nstdout:\n" + m.stdoutText(), e);
                }
            }
            await().atMost(T).until(() -> !m.alive() || (m.state().settled(4) && m.workers().size() == 4));
            assertThat(m.alive()).as("master alive; log:\n%s\nstdout:\n%s", m.tail(), m.stdoutText()).isTrue();
            assertThat(m.state().version()).isEqualTo(10);
            assertThat(m.stdoutText() + m.stderrText()).doesNotContain("A fatal error has been detected");
        }
    }
}
