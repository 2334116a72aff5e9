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

/** cases/reliability.md C6: new code that dies before acking never costs the old workers. */
class C06NewCodeDiesBeforeAckTest {
    @TempDir
    Path dir;

    private static List<Double> gaps(List<Line> launches) {
        List<Double> out = new ArrayList<>();
        for (int i = 1; i < launches.size(); i++) out.add((launches.get(i).nanos() - launches.get(i - 1).nanos()) / 1e9);
        return out;
    }

    @Test
    void steps1And2CrashingNewCodeBacksOffAndAFixedVersionCompletesTheUpgrade() {
        Path ok = Workers.wrapper(dir, "ok", "serve=line");
        Path crash = Workers.script(dir, "crash", "#!/bin/sh\necho \"crash $$ started\" >&2\nexit 1\n");
        Path cur = dir.resolve("cur");
        Workers.relink(cur, ok);
        int port = Ports.free();
        try (Master m = Master.start(dir, "-n", "2", "-m", "manual", "-b", "127.0.0.1:" + port, "--", cur.toString())) {
            await().atMost(Duration.ofSeconds(15)).until(() -> m.state().settled(2));
            Set<Long> originals = Set.copyOf(m.state().pids());
            int launchedBefore = m.logLines("===> Launched").size();

            Workers.relink(cur, crash);
            CompletableFuture<Shell.Result> first = Shell.execAsync(m.sock, "upgrade", Duration.ofSeconds(60));
            m.waitForLog("Starting smooth upgrade from version 0", Duration.ofSeconds(10));
            // Watch four new-version spawns (about 0, 1.5, 3.75 and 7.1 s in) rather than a fixed time.
            m.waitForLog("===> Launched", launchedBefore + 4, Duration.ofSeconds(20));
            m.waitForLog("===> Exited worker \\d+ before it was ACKed", 4, Duration.ofSeconds(5));

            List<Line> launches = m.logLines("===> Launched").subList(launchedBefore, m.logLines("===> Launched").size());
            List<Double> gaps = gaps(launches);
            assertThat(launches).as("new spawns during the watch").hasSizeGreaterThanOrEqualTo(4);
            for (int k = 0; k < gaps.size(); k++) {
                double interval = Math.min(30, Math.pow(1.5, k + 1));
                assertThat(gaps.get(k)).as("gap %d of %s (interval %.2f)", k, gaps, interval).isGreaterThanOrEqualTo(interval * 0.9);
                if (k > 0) assertThat(gaps.get(k)).as("gaps never shrink: %s", gaps).isGreaterThanOrEqualTo(gaps.get(k - 1) * 0.9);
            }
            assertThat(m.logLines("===> Exited worker \\d+ before it was ACKed \\(exit status 1\\)")).hasSizeGreaterThanOrEqualTo(2);
            assertThat(m.stderrText()).contains("crash ").contains(" started");
            State s = m.state();
            assertThat(s.upgrading()).isTrue();
            assertThat(s.children().stream().filter(c -> originals.contains(c.pid()))).hasSize(2)
                    .allSatisfy(c -> assertThat(c.signaled()).isEmpty());
            assertThat(Events.of(dir, "USR2")).isEmpty();
            assertThat(first).isNotDone();
            // the old workers keep serving
            for (int i = 0; i < 3; i++) {
                String hello = Ports.readLine(port, 3000);
                assertThat(hello).isNotNull().startsWith("hello from ");
                assertThat(originals).contains(Long.parseLong(hello.substring("hello from ".length())));
            }

            Workers.relink(cur, ok);
            Shell.Result second = Shell.exec(m.sock, "upgrade", Duration.ofSeconds(30));
            assertThat(second.exit()).as(second.toString()).isZero();
            assertThat(second.outLines().getLast()).isEqualTo("Upgrade done");
            Shell.Result firstResult = first.join();
            assertThat(firstResult.exit()).as(firstResult.toString()).isZero();
            assertThat(firstResult.outLines().getLast()).isEqualTo("Upgrade done");
            assertThat(firstResult.out()).contains("before it was ACKed (exit status 1)");

            await().atMost(Duration.ofSeconds(15)).until(() -> m.state().settled(2) && m.workers().size() == 2);
            assertThat(m.state().version()).isEqualTo(2);
            long firstNewAck = Events.of(dir, "acking").stream().filter(e -> !originals.contains(e.pid()))
                    .mapToLong(Events.Event::nanos).min().orElseThrow();
            assertThat(Events.of(dir, "USR2")).hasSize(2).allSatisfy(e -> {
                assertThat(originals).contains(e.pid());
                assertThat(e.nanos()).isGreaterThan(firstNewAck);
            });
        }
    }

    @Test
    void step3AWorkerThatDiesBeforeItsTimerNeverCountsAsAcked() {
        Path ok = Workers.wrapper(dir, "ok");
        Path late = Workers.wrapper(dir, "late", "ack=none", "exit=1@1");
        Path cur = dir.resolve("cur");
        Workers.relink(cur, ok);
        try (Master m = Master.start(dir, "-n", "2", "-m", "2", "--", cur.toString())) {
            await().atMost(Duration.ofSeconds(15)).until(() -> m.state().settled(2));
            Set<Long> originals = Set.copyOf(m.state().pids());
            Workers.relink(cur, late);
            Shell.execAsync(m.sock, "upgrade", Duration.ofSeconds(20));
            m.waitForLog("===> Exited worker \\d+ before it was ACKed \\(exit status 1\\)", 2, Duration.ofSeconds(15));
            assertThat(m.logLines("has been up for")).hasSize(2); // only the two originals
            State s = m.state();
            assertThat(s.upgrading()).isTrue();
            assertThat(s.children().stream().filter(c -> originals.contains(c.pid())))
                    .hasSize(2).allSatisfy(c -> assertThat(c.signaled()).isEmpty());
            assertThat(Events.of(dir, "USR2")).isEmpty();
        }
    }
}
