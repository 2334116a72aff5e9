package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cases/reliability.md C2: repeated upgrades leave no stray or unknown children. The case asks for 50
 * upgrades; the suite does {@code it.c2.upgrades} (default 20, about 1 min) to keep within its time
 * budget. Run {@code -Dit.c2.upgrades=50} for the full case.
 */
class C02RepeatedUpgradesTest {
    static final int UPGRADES = Integer.getInteger("it.c2.upgrades", 20);
    @TempDir
    Path dir;

    @Test
    void manyUpgradesInARowEndWithTwoAckedWorkersOfTheLastVersion() {
        Path w = Workers.wrapper(dir, "w");
        try (Master m = Master.start(dir, "-n", "2", "-m", "manual", "-s", "0.2", "--", w.toString())) {
            await().atMost(Duration.ofSeconds(15)).until(() -> m.state().settled(2));
            for (int i = 1; i <= UPGRADES; i++) {
                Shell.Result r = Shell.exec(m.sock, "upgrade", Duration.ofSeconds(30));
                assertThat(r.exit()).as("upgrade %d: %s", i, r).isZero();
                assertThat(r.outLines().getLast()).as("upgrade %d", i).isEqualTo("Upgrade done");
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> m.workers().size() == 2 && m.state().settled(2));
            State s = m.state();
            assertThat(s.version()).isEqualTo(UPGRADES);
            assertThat(s.pids()).containsExactlyInAnyOrderElementsOf(m.workers());
            assertThat(m.zombies()).isEmpty();
            assertThat(m.stderrText()).doesNotContainIgnoringCase("unknown child").doesNotContain("ERROR");
        }
    }

    @Test
    void variantAFailingReexecAbortsTheUpgradeAndKeepsEverything() {
        Path w = Workers.wrapper(dir, "w");
        Path bad = Workers.script(dir, "bad", "#!/bin/sh\nexit 1\n");
        try (Master m = Master.start(dir, "-n", "2", "-m", "manual", "-s", "0.2", "--reexec-as=" + bad, "--", w.toString())) {
            await().atMost(Duration.ofSeconds(15)).until(() -> m.state().settled(2));
            List<Long> originals = m.state().pids();
            long t0 = System.nanoTime();
            Shell.Result r = Shell.exec(m.sock, "upgrade", Duration.ofSeconds(30));
            assertThat((System.nanoTime() - t0) / 1e9).as("the client ends within 5 s").isLessThan(5);
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.outLines().getLast()).startsWith("Upgrade aborted: master reload failed (");
            assertThat(m.alive()).isTrue();
            State s = m.state();
            assertThat(s.pids()).containsExactlyElementsOf(originals);
            assertThat(s.settled(2)).isTrue(); // acked, unsignalled, version 0, no upgrade running
            assertThat(s.version()).isZero();
            assertThat(s.upgrading()).isFalse();
            assertThat(m.workers()).containsExactlyInAnyOrderElementsOf(originals);
            assertThat(m.zombies()).isEmpty();
            assertThat(Events.of(dir, "USR2")).isEmpty();
            assertThat(m.logLines("ERROR: Can not initiate einhorn master reload safely, aborting")).hasSize(1);
        }
    }
}
