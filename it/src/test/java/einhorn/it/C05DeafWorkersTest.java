package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cases/reliability.md C5: a worker that ignores USR2 (the -t parts belong to issue 3). */
class C05DeafWorkersTest {
    @TempDir
    Path dir;

    @Test
    @Disabled("needs -t, issue 3")
    void step1OldDeafWorkersAreKilledAfterTheSignalTimeout() {}

    @Test
    @Disabled("needs -t, issue 3")
    void step2DieWithSignalTimeoutExitsWithinFourSeconds() {}

    @Test
    void step3WithoutSignalTimeoutOldDeafWorkersLiveOnSignalledOnce() {
        Path deaf = Workers.wrapper(dir, "deaf", "usr2=ignore", "term=ignore");
        try (Master m = Master.start(dir, "-n", "2", "-m", "manual", "--", deaf.toString())) {
            await().atMost(Duration.ofSeconds(15)).until(() -> m.state().settled(2));
            Set<Long> old = Set.copyOf(m.state().pids());
            Shell.Result r = Shell.exec(m.sock, "upgrade", Duration.ofSeconds(30));
            assertThat(r.exit()).as(r.toString()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> Events.of(dir, "USR2").size() == 2);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> old.stream().allMatch(Procs::alive));
            State s = m.state();
            assertThat(s.children()).hasSize(4);
            assertThat(s.children().stream().filter(c -> old.contains(c.pid()))).hasSize(2)
                    .allSatisfy(c -> {
                        assertThat(c.version()).isZero();
                        assertThat(c.signaled()).containsExactly("USR2");
                    });
            assertThat(Events.of(dir, "USR2")).hasSize(2);
            assertThat(m.workers()).hasSize(4);
        }
    }
}
