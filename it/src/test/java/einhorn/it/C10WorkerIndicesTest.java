package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cases/reliability.md C10: worker indices stay unique and small across upgrades (SPEC §4.1). */
class C10WorkerIndicesTest {
    static final int UPGRADES = Integer.getInteger("it.c10.upgrades", 5);
    @TempDir
    Path dir;

    @Test
    void everySpawnGetsTheSmallestIndexNoUnreapedWorkerHoldsAndStaysWithinZeroToThree() {
        Path idx = Workers.wrapper(dir, "idx");
        try (Master m = Master.start(dir, "-n", "3", "-m", "manual", "-s", "0.2", "--max-upgrade-additional", "1", "--", idx.toString())) {
            await().atMost(Duration.ofSeconds(15)).until(() -> m.state().settled(3));
            for (int i = 0; i < UPGRADES; i++) {
                Shell.Result r = Shell.exec(m.sock, "upgrade", Duration.ofSeconds(30));
                assertThat(r.exit()).as(r.toString()).isZero();
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> m.state().settled(3) && m.workers().size() == 3);
            // Replay the log: at each launch, the index must be the smallest not held by a live worker.
            Pattern launched = Pattern.compile("===> Launched (\\d+) \\(index: (\\d+)\\)");
            Pattern exited = Pattern.compile("===> Exited worker (\\d+)");
            Map<Long, Integer> live = new HashMap<>();
            for (Line l : m.stderr()) {
                Matcher a = launched.matcher(l.text()), b = exited.matcher(l.text());
                if (a.find()) {
                    int index = Integer.parseInt(a.group(2));
                    Set<Integer> held = new HashSet<>(live.values());
                    int smallest = 0;
                    while (held.contains(smallest)) smallest++;
                    assertThat(index).as("index of %s with %s live", a.group(1), live).isEqualTo(smallest);
                    assertThat(index).as("N + max-upgrade-additional - 1 bounds the index").isBetween(0, 3);
                    live.put(Long.parseLong(a.group(1)), index);
                } else if (b.find()) {
                    live.remove(Long.parseLong(b.group(1)));
                }
            }
            for (Events.Event e : Events.of(dir, "start")) assertThat(e.index()).matches("\\d+");
            List<State.Child> now = m.state().children();
            assertThat(now.stream().map(State.Child::index).distinct()).hasSize(3);
            for (State.Child c : now) assertThat(live).containsEntry(c.pid(), c.index());
        }
    }
}
