package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cases/reliability.md C7. Upgrades respect the spawn caps (SPEC §7.5, §8.2). */
class C07SpawnCapsTest {
    @TempDir
    Path dir;

    @Test
    void step1LiveWorkersNeverExceedNumberPlusNAndUnackedNewNeverExceedMaxUnacked() {
        Path slow = Workers.wrapper(dir, "slow", "ack=2");
        try (Master m = Master.start(dir, "-n", "10", "-m", "manual", "--max-unacked", "2", "--max-upgrade-additional", "1",
                "--", slow.toString())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> m.state().settled(10));
            Set<Long> old = Set.copyOf(m.state().pids());
            CompletableFuture<Shell.Result> up = Shell.execAsync(m.sock, "upgrade", Duration.ofSeconds(90));
            List<String> samples = new ArrayList<>();
            int maxLive = 0, maxUnacked = 0;
            while (!up.isDone()) {
                int live = m.workers().size();
                State s = m.state();
                int v = s.version();
                long unacked = s.children().stream().filter(c -> c.version() == v && v > 0 && !c.acked()).count();
                maxLive = Math.max(maxLive, live);
                maxUnacked = (int) Math.max(maxUnacked, unacked);
                samples.add(live + "/" + unacked);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            Shell.Result r = up.join();
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(maxLive).as("live workers per sample (live/unacked new): %s", samples).isLessThanOrEqualTo(11);
            assertThat(maxUnacked).as("unacked new per sample: %s", samples).isLessThanOrEqualTo(2);
            assertThat(samples.size()).as("sampled often").isGreaterThan(20);
            await().atMost(Duration.ofSeconds(20)).until(() -> m.state().settled(10) && m.workers().size() == 10);
            assertThat(m.state().pids()).doesNotContainAnyElementsOf(old);
            // each new ack is followed by USR2 to exactly one old worker
            List<Long> acks = Events.of(dir, "acking").stream().filter(e -> !old.contains(e.pid())).map(Events.Event::nanos).sorted().toList();
            List<Long> usr2 = Events.of(dir, "USR2").stream().filter(e -> old.contains(e.pid())).map(Events.Event::nanos).sorted().toList();
            assertThat(usr2).hasSize(10);
            for (int k = 0; k < 10; k++) {
                assertThat(usr2.get(k)).as("retirement %d follows ack %d", k, k).isGreaterThan(acks.get(k));
                if (k + 1 < acks.size()) assertThat(usr2.get(k)).as("retirement %d precedes ack %d", k, k + 1).isLessThan(acks.get(k + 1));
            }
        }
    }

    @Test
    void maxUnackedAloneHoldsBackSpawnsWhileThatManyNewWorkersAreUnacked() {
        Path slow = Workers.wrapper(dir, "slow", "ack=1.5");
        try (Master m = Master.start(dir, "-n", "4", "-m", "manual", "-s", "0.1", "--max-unacked", "2", "--", slow.toString())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> m.state().settled(4));
            CompletableFuture<Shell.Result> up = Shell.execAsync(m.sock, "upgrade", Duration.ofSeconds(60));
            int maxUnacked = 0;
            List<Long> samples = new ArrayList<>();
            while (!up.isDone()) {
                State s = m.state();
                int v = s.version();
                long unacked = s.children().stream().filter(c -> v > 0 && c.version() == v && !c.acked()).count();
                samples.add(unacked);
                maxUnacked = (int) Math.max(maxUnacked, unacked);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            assertThat(up.join().exit()).isZero();
            assertThat(maxUnacked).as("unacked new workers per sample: %s", samples).isEqualTo(2);
            assertThat(m.logLines("There are 2 unacked new workers, and max_unacked is 2, so not spinning up a new process")).isNotEmpty();
            await().atMost(Duration.ofSeconds(20)).until(() -> m.state().settled(4) && m.workers().size() == 4);
        }
    }

    @Test
    void step2MaxUnackedBelowOneIsAStartupError() {
        for (String bad : new String[] {"0", "-1"}) {
            try (Master m = Master.start(dir, "-n", "1", "--max-unacked", bad, "--", "/bin/sleep", "100")) {
                assertThat(m.waitExit(Duration.ofSeconds(10))).isEqualTo(2);
                assertThat(m.stderr()).hasSize(1);
                assertThat(m.stderrText()).startsWith("einhorn: ").contains("--max-unacked").containsPattern("at least 1|>= ?1");
                assertThat(m.sock).doesNotExist();
            }
        }
    }
}
