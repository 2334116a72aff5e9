package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cases/reliability.md C6 step 1, the part C06NewCodeDiesBeforeAckTest cannot reach in its time
 * budget: the backoff between spawns of new code that dies before acking is capped at 30 s (SPEC
 * §7.5: interval = min(seconds × 1.5^d, 30 s)). With {@code seconds} = 25 the gap after the first
 * unacked death is 30 s, not 37.5 s.
 */
class C06BackoffCapTest {
    @TempDir
    Path dir;

    @Test
    void theGapAfterAnUnackedDeathIsCappedAtThirtySeconds() {
        Path ok = Workers.wrapper(dir, "ok");
        Path crash = Workers.script(dir, "crash", "#!/bin/sh\nexit 1\n");
        Path cur = dir.resolve("cur");
        Workers.relink(cur, ok);
        try (Master m = Master.start(dir, "-n", "1", "-m", "manual", "-s", "0.1", "--", cur.toString())) {
            await().atMost(Duration.ofSeconds(15)).until(() -> m.state().settled(1));
            Set<Long> originals = Set.copyOf(m.state().pids());
            Reply cfg = Ctl.request(m.sock, "{\"command\":\"config\",\"args\":[\"{seconds: 25}\"]}");
            assertThat(cfg.isError()).as(cfg.toString()).isFalse();
            int before = m.logLines("===> Launched").size();
            Workers.relink(cur, crash);
            CompletableFuture<Shell.Result> up = Shell.execAsync(m.sock, "upgrade", Duration.ofSeconds(90));
            // the first new spawn comes 25 s after the original's; the next one 30 s after that
            m.waitForLog("===> Launched", before + 2, Duration.ofSeconds(75));
            List<Line> launches = m.logLines("===> Launched").subList(before, before + 2);
            double gap = (launches.get(1).nanos() - launches.get(0).nanos()) / 1e9;
            assertThat(gap).as("gap after one unacked death with seconds=25 (uncapped: 37.5 s)").isBetween(29.0, 33.0);
            assertThat(m.logLines("===> Exited worker \\d+ before it was ACKed \\(exit status 1\\)")).isNotEmpty();
            State s = m.state();
            assertThat(s.upgrading()).isTrue();
            assertThat(s.children().stream().filter(c -> originals.contains(c.pid()))).hasSize(1)
                    .allSatisfy(c -> assertThat(c.signaled()).isEmpty());
            assertThat(up).isNotDone();
        }
    }
}
