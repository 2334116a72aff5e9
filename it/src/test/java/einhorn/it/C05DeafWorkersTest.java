package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cases/reliability.md C5: a worker that ignores USR2 is killed after -t. */
class C05DeafWorkersTest {
    @TempDir
    Path dir;

    @Test
    void step1OldDeafWorkersAreKilledAfterTheSignalTimeout() {
        Path deaf = Workers.wrapper(dir, "deaf", "usr2=ignore", "term=ignore");
        try (Master m = Master.start(dir, "-n", "2", "-m", "manual", "-t", "2", "--", deaf.toString())) {
            await().atMost(Duration.ofSeconds(15)).until(() -> m.state().settled(2));
            Set<Long> old = Set.copyOf(m.state().pids());
            Shell.Result r = Shell.exec(m.sock, "upgrade", Duration.ofSeconds(30));
            assertThat(r.exit()).as(r.toString()).isZero();
            // no further input: the master wakes itself to escalate
            await().atMost(Duration.ofSeconds(10)).until(() -> m.workers().size() == 2
                    && m.workers().stream().noneMatch(old::contains) && m.state().settled(2));
            for (long pid : old) {
                long usr2 = Events.of(dir, "USR2", pid).getFirst().nanos();
                Line kill = m.waitForLog("Child " + pid + " is still active after 2(\\.0)?s\\. Sending SIGKILL", Duration.ofSeconds(5));
                double after = (kill.nanos() - usr2) / 1e9;
                assertThat(after).as("KILL of %d %.2f s after its USR2", pid, after).isBetween(1.9, 3.0);
                assertThat(m.logLines("===> Exited worker " + pid + " \\(killed by SIGKILL\\)")).hasSize(1);
            }
            assertThat(m.state().version()).isEqualTo(1);
        }
    }

    @Test
    void step2DieWithSignalTimeoutExitsWithinFourSeconds() {
        Path deaf = Workers.wrapper(dir, "deaf", "usr2=ignore", "term=ignore");
        try (Master m = Master.start(dir, "-n", "2", "-m", "manual", "-t", "2", "--", deaf.toString())) {
            await().atMost(Duration.ofSeconds(15)).until(() -> m.state().settled(2));
            Set<Long> pids = Set.copyOf(m.state().pids());
            long t0 = System.nanoTime();
            assertThat(Shell.exec(m.sock, "die").exit()).isZero();
            assertThat(m.waitExit(Duration.ofSeconds(4))).isZero();
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(4.0);
            assertThat(pids).noneMatch(p -> Procs.stat(p).isPresent());
            assertThat(m.processesOfThisMaster()).isEmpty();
        }
    }

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
