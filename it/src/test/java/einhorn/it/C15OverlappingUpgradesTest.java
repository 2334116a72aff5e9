package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cases/reliability.md C15: overlapping upgrade requests restart the upgrade cleanly. */
class C15OverlappingUpgradesTest {
    @TempDir
    Path dir;

    private Master start() {
        Path slow3 = Workers.wrapper(dir, "slow3", "ack=3");
        Master m = Master.start(dir, "-n", "2", "-m", "manual", "--", slow3.toString());
        await().atMost(Duration.ofSeconds(20)).until(() -> m.state().settled(2));
        return m;
    }

    private static boolean pidfileHolds(Master m) throws Exception {
        return Files.readString(m.pidfile).equals(m.pid() + "\n");
    }

    @Test
    void step1ThreeHupsEndWithTwoAckedWorkersOfTheFinalVersion() throws Exception {
        try (Master m = start()) {
            List<Long> originals = m.state().pids();
            m.signal("HUP");
            m.waitForLog("Starting smooth upgrade from version 0", Duration.ofSeconds(10));
            m.signal("HUP");
            m.signal("HUP");
            assertThat(pidfileHolds(m)).isTrue();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                assertThat(m.alive()).isTrue();
                assertThat(pidfileHolds(m)).isTrue();
                State s = m.state();
                return s.settled(2) && s.version() >= 2 && m.workers().size() == 2;
            });
            State s = m.state();
            assertThat(s.version()).isBetween(2, 3);
            assertThat(m.logLines("Currently upgrading \\(.*bumping version and starting over")).hasSizeBetween(1, 2);
            assertThat(originals).noneMatch(Procs::alive);
            assertThat(m.stderrText()).doesNotContain("ERROR");
            assertThat(m.zombies()).isEmpty();
        }
    }

    @Test
    void variantThreeConcurrentClientsAllComplete() throws Exception {
        try (Master m = start()) {
            List<CompletableFuture<Shell.Result>> clients = List.of(
                    Shell.execAsync(m.sock, "upgrade", Duration.ofSeconds(40)),
                    Shell.execAsync(m.sock, "upgrade", Duration.ofSeconds(40)),
                    Shell.execAsync(m.sock, "upgrade", Duration.ofSeconds(40)));
            for (CompletableFuture<Shell.Result> c : clients) {
                Shell.Result r = c.join();
                assertThat(r.exit()).as(r.toString()).isZero();
                assertThat(r.outLines().getLast()).isEqualTo("Upgrade done");
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> m.state().settled(2) && m.workers().size() == 2);
            assertThat(m.state().version()).isEqualTo(3);
            assertThat(pidfileHolds(m)).isTrue();
            assertThat(m.stderrText()).doesNotContain("ERROR");
        }
    }
}
