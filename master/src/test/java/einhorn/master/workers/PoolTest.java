package einhorn.master.workers;

import static org.assertj.core.api.Assertions.assertThat;

import einhorn.master.Clock;
import einhorn.master.Log;
import einhorn.posix.Posix;
import einhorn.posix.Signal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real workers (sh) started, acked, signalled and reaped by one Pool. */
class PoolTest {
    private final List<Worker> started = new ArrayList<>();
    private Pool pool;

    private Pool pool(Path dir) {
        // Each worker writes the index it was given to DIR/PID, then waits for a signal.
        List<String> cmd = List.of("/bin/sh", "-c", "echo \"$EINHORN_CHILD_INDEX\" > \"$0/$$\"; exec sleep 30", dir.toString());
        WorkerEnv env = WorkerEnv.fromProcessEnv(Map.of("PATH", "/usr/bin:/bin"));
        Pool.Launch launch = new Pool.Launch(cmd, new int[0], new boolean[0], "/nonexistent.sock", false, env,
                false, null, null);
        pool = new Pool(launch, new Log(Posix.getpid(), 2), new Clock(), Posix.getpid(), fd -> {});
        return pool;
    }

    private Worker spawn(int version) {
        Worker w = pool.spawn(version);
        assertThat(w).isNotNull();
        started.add(w);
        return w;
    }

    private static String indexSeen(Path dir, Worker w) {
        Path f = dir.resolve(Integer.toString(w.pid));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(f) && Files.readString(f).endsWith("\n"));
        try {
            return Files.readString(f).trim();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private void killAndReap(Worker w) {
        Posix.kill(w.pid, Signal.KILL.number());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            pool.reap();
            return pool.get(w.pid) == null;
        });
    }

    @AfterEach
    void stop() {
        for (Worker w : started) {
            Posix.kill(w.pid, Signal.KILL.number());
        }
        if (pool != null) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                pool.reap();
                return pool.isEmpty();
            });
        }
    }

    @Test
    void everyWorkerGetsTheSmallestFreeIndexInItsOwnEnvironment(@TempDir Path dir) {
        pool(dir);
        Worker a = spawn(0), b = spawn(0), c = spawn(0);
        assertThat(List.of(indexSeen(dir, a), indexSeen(dir, b), indexSeen(dir, c))).containsExactly("0", "1", "2");
        killAndReap(b);
        Worker d = spawn(0);
        assertThat(d.index).isEqualTo(1);
        assertThat(indexSeen(dir, d)).isEqualTo("1");
        Worker e = spawn(0);
        assertThat(indexSeen(dir, e)).isEqualTo("3");
    }

    @Test
    void upCountFollowsAcksSignalsExitsAndVersions(@TempDir Path dir) {
        pool(dir);
        Worker a = spawn(0), b = spawn(0), c = spawn(0);
        assertThat(pool.upCount(0)).isZero();
        pool.markAcked(a);
        assertThat(pool.upCount(0)).isEqualTo(1);
        pool.markAcked(b);
        pool.markAcked(b); // a repeat counts once
        assertThat(pool.upCount(0)).isEqualTo(2);
        Worker d = spawn(1);
        pool.markAcked(d);
        assertThat(pool.upCount(0)).isEqualTo(2);
        assertThat(pool.upCount(1)).isEqualTo(1);
        assertThat(pool.upCount(0)).isEqualTo(2);
        pool.signalRecorded(List.of(a), "USR1", Signal.USR1.number());
        assertThat(pool.upCount(0)).isEqualTo(1);
        killAndReap(b);
        assertThat(pool.upCount(0)).isZero();
        pool.markAcked(c);
        assertThat(pool.upCount(0)).isEqualTo(1);
    }
}
