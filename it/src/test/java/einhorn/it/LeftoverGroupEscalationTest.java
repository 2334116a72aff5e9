package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cases/reliability.md C14, the timing rules that C14LeftoverProcessGroupTest does not pin down:
 * whatever a worker leaves in its process group is sent TERM at once and KILL 2 s later without
 * {@code -t}, or after {@code -t} seconds when given; and {@code -t}'s KILL of a stuck worker goes to
 * its whole group, so a stubborn child dies with it rather than a grace period later.
 */
class LeftoverGroupEscalationTest {
    static final Duration T = Duration.ofSeconds(20);
    @TempDir
    Path dir;

    @Test
    void withoutDashTAStubbornLeftoverIsKilledTwoSecondsAfterTheWorkerExits() {
        double gap = leftoverKillDelay();
        assertThat(gap).as("seconds from the worker's exit to its stubborn child's death").isBetween(1.8, 3.2);
    }

    @Test
    void withDashTTheGracePeriodIsTheSignalTimeout() {
        double gap = leftoverKillDelay("-t", "4");
        assertThat(gap).as("seconds from the worker's exit to its stubborn child's death").isBetween(3.8, 5.2);
    }

    /** -n 1 worker with a child that ignores TERM; `signal USR2` makes the worker exit. */
    private double leftoverKillDelay(String... extra) {
        Path gc = Workers.wrapper(dir, "gc2", "child=stubborn");
        List<String> args = new java.util.ArrayList<>(List.of("-n", "1", "-m", "manual"));
        args.addAll(List.of(extra));
        args.addAll(List.of("--", gc.toString()));
        try (Master m = Master.start(dir, args.toArray(String[]::new))) {
            await().atMost(T).until(() -> m.state().settled(1));
            long worker = m.state().pids().getFirst();
            await().atMost(T).until(() -> Procs.inGroup(worker).size() == 2);
            long child = Procs.inGroup(worker).stream().filter(p -> p != worker).findFirst().orElseThrow();
            assertThat(Ctl.request(m.sock, "{\"command\":\"signal\",\"args\":[\"USR2\"]}").isError()).isFalse();
            double[] deaths = deathTimes(worker, child, Duration.ofSeconds(10));
            m.waitForLog("Worker " + worker + " left \\[" + child + "\\] in its process group; sending TERM", T);
            m.waitForLog("Sending KILL to \\[" + child + "\\], still in the process group of exited worker " + worker, T);
            assertThat(Procs.inGroup(worker)).isEmpty();
            await().atMost(T).until(() -> m.zombies().isEmpty());
            assertThat(m.alive()).isTrue();
            return deaths[1] - deaths[0];
        }
    }

    @Test
    void dashTKillsAStuckWorkerTogetherWithItsWholeGroup() {
        Path deaf = Workers.wrapper(dir, "deafgc", "usr2=ignore", "term=ignore", "child=stubborn");
        try (Master m = Master.start(dir, "-n", "2", "-m", "manual", "-t", "3", "--", deaf.toString())) {
            await().atMost(T).until(() -> m.state().settled(2));
            List<Long> before = m.state().pids();
            await().atMost(T).until(() -> before.stream().allMatch(w -> Procs.inGroup(w).size() == 2));
            assertThat(Ctl.request(m.sock, "{\"command\":\"dec\"}").isError()).isFalse();
            await().atMost(T).until(() -> m.state().children().stream().anyMatch(c -> c.signaled().contains("USR2")));
            long stuck = m.state().children().stream().filter(c -> c.signaled().contains("USR2")).findFirst().orElseThrow().pid();
            long child = Procs.inGroup(stuck).stream().filter(p -> p != stuck).findFirst().orElseThrow();
            long t0 = System.nanoTime();
            double[] deaths = deathTimes(stuck, child, Duration.ofSeconds(10));
            double workerDeath = deaths[0] - (t0 - T0) / 1e9;
            assertThat(workerDeath).as("the stuck worker dies about 3 s after its USR2").isLessThan(4.5);
            assertThat(Math.abs(deaths[1] - deaths[0])).as("its stubborn child dies with it (one KILL to the group)").isLessThan(0.5);
            m.waitForLog("Child " + stuck + " is still active after 3s. Sending SIGKILL", T);
            await().atMost(T).until(() -> m.state().settled(1) && m.workers().size() == 1);
            assertThat(m.zombies()).isEmpty();
        }
    }

    private static final long T0 = System.nanoTime();

    /** Polls until both pids are gone; returns the seconds (since class load) each was first seen dead. */
    static double[] deathTimes(long a, long b, Duration timeout) {
        double[] out = {-1, -1};
        long deadline = System.nanoTime() + timeout.toNanos();
        while ((out[0] < 0 || out[1] < 0) && System.nanoTime() < deadline) {
            double now = (System.nanoTime() - T0) / 1e9;
            if (out[0] < 0 && !Procs.alive(a)) out[0] = now;
            if (out[1] < 0 && !Procs.alive(b)) out[1] = now;
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        assertThat(out).as("both %d and %d gone within %s", a, b, timeout).doesNotContain(-1.0);
        return out;
    }
}
