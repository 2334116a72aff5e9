package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cases/reliability.md C13: the listener's blocking mode comes from the configuration. */
class C13ListenerBlockingModeTest {
    static final Duration T = Duration.ofSeconds(15);
    @TempDir
    Path dir;

    private static boolean nonBlocking(long pid) {
        return (Procs.fdFlags(pid, 3) & Procs.O_NONBLOCK) != 0;
    }

    private void run(String bindFlags, String flip, boolean configured) {
        Path w = Workers.wrapper(dir, "flip", "flip=" + flip);
        try (Master m = Master.start(dir, "-n", "2", "-m", "manual", "-s", "0.2", "-b", "127.0.0.1:0" + bindFlags, "--", w.toString())) {
            await().atMost(T).until(() -> m.state().settled(2));
            List<Long> pids = m.state().pids();
            long w1 = pids.get(0), w2 = pids.get(1);
            // step 1
            assertThat(nonBlocking(w1)).isEqualTo(configured);
            assertThat(nonBlocking(w2)).isEqualTo(configured);
            // step 2: the mode belongs to the shared socket
            Procs.kill(w1, "USR1");
            await().atMost(T).until(() -> Events.of(dir, "flipped", w1).size() == 1);
            assertThat(nonBlocking(w2)).isEqualTo(!configured);
            // step 4: a replacement starts with the configured mode
            Procs.kill(w1, "USR1");
            await().atMost(T).until(() -> Events.of(dir, "flipped", w1).size() == 2);
            Procs.kill(w2, "KILL");
            java.util.concurrent.atomic.AtomicLong found = new java.util.concurrent.atomic.AtomicLong();
            await().atMost(T).until(() -> {
                State s = m.state();
                if (!s.settled(2) || s.pids().contains(w2)) {
                    return false;
                }
                s.pids().stream().filter(p -> p != w1).findFirst().ifPresent(found::set);
                return found.get() != 0;
            });
            long replacement = found.get();
            assertThat(Events.of(dir, "start", replacement)).hasSize(1);
            assertThat(nonBlocking(replacement)).as("replacement's listener").isEqualTo(configured);
            // and an upgrade spawn, after flipping it again
            Procs.kill(w1, "USR1");
            await().atMost(T).until(() -> Events.of(dir, "flipped", w1).size() == 3);
            Shell.Result r = Shell.exec(m.sock, "upgrade", Duration.ofSeconds(30));
            assertThat(r.exit()).as(r.toString()).isZero();
            await().atMost(T).until(() -> m.state().settled(2) && m.state().version() == 1);
            for (long p : m.state().pids()) assertThat(nonBlocking(p)).as("upgraded worker %d", p).isEqualTo(configured);
        }
    }

    @Test
    void withNEveryNewWorkerSeesNonBlockingEvenAfterAWorkerClearedIt() {
        run(",n", "clear", true);
    }

    @Test
    void withoutNEveryNewWorkerSeesBlockingEvenAfterAWorkerSetNonBlocking() {
        run("", "set", false);
    }

    private void reload(String bindFlags, String flip, boolean configured) {
        Path w = Workers.wrapper(dir, "flip", "flip=" + flip);
        try (Master m = Master.start(dir, "-n", "2", "-m", "manual", "-s", "0.2", "-b", "127.0.0.1:0" + bindFlags, "--", w.toString())) {
            await().atMost(T).until(() -> m.state().settled(2));
            List<Long> pids = m.state().pids();
            long w1 = pids.get(0), w2 = pids.get(1);
            Procs.kill(w1, "USR1");
            await().atMost(T).until(() -> Events.of(dir, "flipped", w1).size() == 1);
            assertThat(nonBlocking(w2)).isEqualTo(!configured);
            Shell.Result r = Shell.exec(m.sock, "reload", Duration.ofSeconds(30));
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(nonBlocking(w1)).as("worker 1 after the reload").isEqualTo(configured);
            assertThat(nonBlocking(w2)).as("worker 2 after the reload").isEqualTo(configured);
        }
    }

    @Test
    void step3ReloadReappliesTheConfiguredNonBlockingMode() {
        reload(",n", "clear", true);
    }

    @Test
    void step5ReloadReappliesTheConfiguredBlockingMode() {
        reload("", "set", false);
    }
}
