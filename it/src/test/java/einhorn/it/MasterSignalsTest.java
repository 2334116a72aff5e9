package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §10-§11: what each signal to the master does, and its exit status. */
class MasterSignalsTest {
    static final Duration T = Duration.ofSeconds(20);
    @TempDir
    Path dir;

    private Master start(String... workerArgs) {
        Workers.pythonWorker(dir);
        String[] args = new String[8 + workerArgs.length];
        System.arraycopy(new String[] {"-n", "2", "-m", "manual", "-s", "0.2", "--", dir.resolve("w.py").toString()}, 0, args, 0, 8);
        System.arraycopy(workerArgs, 0, args, 8, workerArgs.length);
        Master m = Master.start(dir, args);
        await().atMost(T).until(() -> m.state().settled(2));
        return m;
    }

    private void gracefulShutdown(String masterSignal, String workerSignal) {
        try (Master m = start()) {
            List<Long> pids = m.state().pids();
            m.signal(masterSignal);
            assertThat(m.waitExit(T)).isZero();
            for (long pid : pids) assertThat(Events.of(dir, workerSignal, pid)).as("worker %d got %s", pid, workerSignal).hasSize(1);
            assertThat(Events.of(dir, "start")).as("nothing respawned").hasSize(2);
            assertThat(Files.exists(m.sock)).isFalse();
            assertThat(Files.exists(m.pidfile)).isFalse();
            assertThat(pids).noneMatch(Procs::alive);
        }
    }

    @Test
    void intSendsUsr2ToWorkersAndExitsZeroOnceTheyAreGone() {
        gracefulShutdown("INT", "USR2");
    }

    @Test
    void usr2SendsUsr2ToWorkersAndExitsZero() {
        gracefulShutdown("USR2", "USR2");
    }

    @Test
    void termSendsTermToWorkersAndExitsZero() {
        gracefulShutdown("TERM", "TERM");
    }

    @Test
    void quitExitsOneAtOnceAndRemovesSocketAndPidfile() {
        try (Master m = start("usr2=ignore", "term=ignore")) {
            List<Long> pids = m.state().pids();
            m.signal("QUIT");
            assertThat(m.waitExit(Duration.ofSeconds(5))).isEqualTo(1);
            assertThat(Files.exists(m.sock)).isFalse();
            assertThat(Files.exists(m.pidfile)).isFalse();
            await().atMost(T).until(() -> Events.of(dir, "QUIT").size() == 2);
            assertThat(Events.of(dir, "QUIT").stream().map(Events.Event::pid)).containsExactlyInAnyOrderElementsOf(pids);
        }
    }

    @Test
    void hupStartsASmoothUpgrade() {
        try (Master m = start()) {
            List<Long> old = m.state().pids();
            m.signal("HUP");
            await().atMost(T).until(() -> m.state().version() == 1 && m.state().settled(2));
            assertThat(m.state().pids()).doesNotContainAnyElementsOf(old);
            await().atMost(T).until(() -> old.stream().noneMatch(Procs::alive));
            assertThat(m.workers()).hasSize(2);
            assertThat(m.alive()).isTrue();
        }
    }

    @Test
    void alrmUpgradesWithADeprecationError() {
        try (Master m = start()) {
            m.signal("ALRM");
            m.waitForLog("ERROR: Upgrading using SIGALRM is deprecated. Please switch to SIGHUP", T);
            await().atMost(T).until(() -> m.state().version() == 1 && m.state().settled(2));
        }
    }

    @Test
    void usr1IsLoggedAndIgnored() {
        try (Master m = start()) {
            List<Long> pids = m.state().pids();
            m.signal("USR1");
            m.waitForLog("INFO: Received SIGUSR1; ignoring", T);
            assertThat(m.alive()).isTrue();
            State s = m.state();
            assertThat(s.pids()).containsExactlyInAnyOrderElementsOf(pids);
            assertThat(s.children()).allSatisfy(c -> assertThat(c.signaled()).isEmpty());
            assertThat(Events.read(dir)).noneMatch(e -> e.type().equals("USR1") || e.type().equals("USR2"));
        }
    }

    @Test
    void aSecondSignalDuringShutdownIsResentAndTermFollowsInt() {
        try (Master m = start("usr2=ignore")) {
            List<Long> pids = m.state().pids();
            m.signal("INT");
            await().atMost(T).until(() -> Events.of(dir, "USR2").size() == 2);
            m.signal("INT");
            await().atMost(T).until(() -> Events.of(dir, "USR2").size() == 4);
            m.waitForLog("(?i)re-?send", T);
            assertThat(m.alive()).isTrue();
            m.signal("TERM");
            assertThat(m.waitExit(T)).isZero();
            for (long pid : pids) assertThat(Events.of(dir, "TERM", pid)).hasSize(1);
        }
    }

    @Test
    void hupDuringShutdownIsIgnored() {
        try (Master m = start("usr2=ignore")) {
            m.signal("INT");
            await().atMost(T).until(() -> Events.of(dir, "USR2").size() == 2);
            m.signal("HUP");
            m.signal("TERM");
            assertThat(m.waitExit(T)).isZero();
            assertThat(Events.of(dir, "start")).as("no upgrade spawned anything").hasSize(2);
        }
    }
}
