package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §13.1: with -k, workers get USR2 when the master dies for any reason; without it they live on. */
class KillChildrenOnExitTest {
    static final Duration T = Duration.ofSeconds(15);
    @TempDir
    Path dir;

    @Test
    void withKWorkersGetUsr2WhenTheMasterIsKilled() {
        Path w = Workers.wrapper(dir, "w");
        try (Master m = Master.start(dir, "-k", "-n", "2", "-m", "manual", "--", w.toString())) {
            await().atMost(T).until(() -> m.state().settled(2));
            List<Long> pids = m.state().pids();
            m.signal("KILL");
            m.waitExit(T);
            await().atMost(T).until(() -> Events.of(dir, "USR2").size() == 2);
            await().atMost(T).until(() -> pids.stream().noneMatch(Procs::alive));
        }
    }

    @Test
    void withoutKWorkersOfAKilledMasterKeepRunning() {
        Path w = Workers.wrapper(dir, "w");
        try (Master m = Master.start(dir, "-n", "2", "-m", "manual", "--", w.toString())) {
            await().atMost(T).until(() -> m.state().settled(2));
            List<Long> pids = m.state().pids();
            m.signal("KILL");
            m.waitExit(T);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> pids.stream().allMatch(Procs::alive));
            assertThat(Events.of(dir, "USR2")).isEmpty();
        } // close() kills the orphans
    }

    @Test
    void withKAQuitAlsoSendsUsr2() {
        Path w = Workers.wrapper(dir, "w", "quit=ignore", "usr2=ignore");
        try (Master m = Master.start(dir, "-k", "-n", "1", "-m", "manual", "--", w.toString())) {
            await().atMost(T).until(() -> m.state().settled(1));
            m.signal("QUIT");
            assertThat(m.waitExit(T)).isEqualTo(1);
            await().atMost(T).until(() -> Events.of(dir, "QUIT").size() == 1 && !Events.of(dir, "USR2").isEmpty());
        }
    }
}
