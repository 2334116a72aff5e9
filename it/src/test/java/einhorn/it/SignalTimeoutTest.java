package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §7.7 and §9.5: -t escalates to KILL within T+1 s, also across a reload, and `config` can set it. */
class SignalTimeoutTest {
    static final Duration T = Duration.ofSeconds(30);
    @TempDir
    Path dir;

    /** Sends {@code dec}, and returns the pid that got USR2 and the (monotonic) time it got it. */
    private long[] decOne(Master m) {
        assertThat(Shell.exec(m.sock, "dec", T).exit()).isZero();
        await().atMost(T).until(() -> Events.of(dir, "USR2").size() == 1);
        Events.Event e = Events.of(dir, "USR2").getFirst();
        return new long[] {e.pid(), e.nanos()};
    }

    private static double deadWithin(long pid, long since) {
        await().atMost(T).until(() -> Procs.stat(pid).isEmpty() || !Procs.alive(pid));
        return (System.nanoTime() - since) / 1e9;
    }

    @Test
    void aWorkerIgnoringUsr2IsDeadWithinTPlusOneSeconds() {
        Path deaf = Workers.wrapper(dir, "deaf", "usr2=ignore", "term=ignore");
        try (Master m = Master.start(dir, "-n", "2", "-m", "manual", "-s", "0.2", "-t", "1", "--", deaf.toString())) {
            await().atMost(T).until(() -> m.state().settled(2));
            long[] got = decOne(m);
            double dead = deadWithin(got[0], got[1]);
            assertThat(dead).as("dead %.2f s after USR2", dead).isLessThanOrEqualTo(2.0);
            m.waitForLog("Child " + got[0] + " is still active after 1(\\.0)?s\\. Sending SIGKILL", T);
            m.waitForLog("===> Exited worker " + got[0] + " \\(killed by SIGKILL\\)", T);
            await().atMost(T).until(() -> m.state().settled(1) && m.workers().size() == 1);
        }
    }

    @Test
    void aPendingKillEscalationSurvivesAReload() {
        Path deaf = Workers.wrapper(dir, "deaf", "usr2=ignore", "term=ignore");
        try (Master m = Master.start(dir, "-n", "2", "-m", "manual", "-s", "0.2", "-t", "3", "--", deaf.toString())) {
            await().atMost(T).until(() -> m.state().settled(2));
            long[] got = decOne(m);
            Shell.Result r = Shell.exec(m.sock, "reload", T);
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(Procs.alive(got[0])).as("still alive when the reload is done").isTrue();
            double dead = deadWithin(got[0], got[1]);
            assertThat(dead).as("dead %.2f s after USR2, across a reload", dead).isLessThanOrEqualTo(4.0);
            m.waitForLog("===> Exited worker " + got[0] + " \\(killed by SIGKILL\\)", T);
            assertThat(m.state().get("generation")).isEqualTo(1);
        }
    }

    @Test
    void configSignalTimeoutAppliesToLaterSignalsAndPersistsAcrossAReload() {
        Path deaf = Workers.wrapper(dir, "deaf", "usr2=ignore", "term=ignore");
        try (Master m = Master.start(dir, "-n", "2", "-m", "manual", "-s", "0.2", "--", deaf.toString())) {
            await().atMost(T).until(() -> m.state().settled(2));
            Shell.Result r = Shell.exec(m.sock, "config {signal_timeout: 1}; reload", T);
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.outLines().getFirst()).isEqualTo("Config updated: signal_timeout null -> 1");
            assertThat(m.state().get("signal_timeout")).isEqualTo(1);
            long[] got = decOne(m);
            double dead = deadWithin(got[0], got[1]);
            assertThat(dead).as("dead %.2f s after USR2", dead).isLessThanOrEqualTo(2.0);
            List<Line> kills = m.logLines("Child " + got[0] + " is still active after");
            assertThat(kills).hasSize(1);
        }
    }
}
