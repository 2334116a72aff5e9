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

    /** A worker that writes its PR_GET_PDEATHSIG value to DIR/pdeath.PID, then becomes w.py. */
    private Path pdeathWorker(String name, String... args) {
        Path w = Workers.pythonWorker(dir);
        StringBuilder argv = new StringBuilder();
        for (String a : args) argv.append(", ").append('"').append(a).append('"');
        return Workers.script(dir, name, "#!" + Env.python() + " -S\n"
                + "import ctypes, os\n"
                + "libc = ctypes.CDLL(None, use_errno=True); v = ctypes.c_int(-1)\n"
                + "libc.prctl(2, ctypes.byref(v), 0, 0, 0)\n"
                + "open(os.path.join('" + dir + "', 'pdeath.%d' % os.getpid()), 'w').write('%d' % v.value)\n"
                + "os.execv('" + Env.python() + "', ['" + Env.python() + "', '-S', '" + w + "'" + argv + "])\n");
    }

    private int pdeath(long pid) throws Exception {
        Path f = dir.resolve("pdeath." + pid);
        await().atMost(T).until(() -> java.nio.file.Files.exists(f) && !java.nio.file.Files.readString(f).isEmpty());
        return Integer.parseInt(java.nio.file.Files.readString(f).trim());
    }

    @Test
    void withKTheParentDeathSignalIsUsr2AndFiresOnlyWhenTheMasterProcessDies() throws Exception {
        Path cur = dir.resolve("cur");
        Workers.relink(cur, pdeathWorker("ok"));
        try (Master m = Master.start(dir, "-k", "-n", "2", "-m", "manual", "-s", "0.2", "--max-unacked", "1", "--", cur.toString())) {
            await().atMost(T).until(() -> m.state().settled(2));
            List<Long> originals = m.state().pids();
            for (long p : originals) assertThat(pdeath(p)).as("PR_GET_PDEATHSIG of %d", p).isEqualTo(12);
            try (Ctl c = Ctl.connect(m.sock)) {
                for (int i = 1; i <= 5; i++) {
                    c.send("{\"id\":" + i + ",\"command\":\"reload\"}");
                    assertThat(c.readUntilFinal(Duration.ofSeconds(30)).getLast().message()).isEqualTo("Reload done (generation " + i + ")");
                }
            }
            assertThat(originals).allMatch(Procs::alive);
            assertThat(Events.read(dir)).noneMatch(e -> !e.type().equals("start") && !e.type().equals("acking"));
            // an upgrade to code that never acks (one new worker, held there by --max-unacked 1): the reload fires
            // nothing, and the old workers stay unsignalled
            Workers.relink(cur, pdeathWorker("mute", "ack=none"));
            Shell.execAsync(m.sock, "upgrade", Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(45)).until(() -> m.state().version() == 1 && m.state().children().size() == 3);
            long fresh = m.state().pids().stream().filter(p -> !originals.contains(p)).findFirst().orElseThrow();
            assertThat(pdeath(fresh)).as("PR_GET_PDEATHSIG of a worker of the reloaded image").isEqualTo(12);
            // its handlers are installed (before that, USR2's default action would kill it silently)
            await().atMost(T).until(() -> Events.of(dir, "start", fresh).size() == 1);
            assertThat(originals).allMatch(Procs::alive);
            assertThat(Events.of(dir, "USR2")).isEmpty();
            // now the master process dies: every worker, old and new, gets USR2
            m.signal("KILL");
            m.waitExit(T);
            List<Long> all = List.of(originals.get(0), originals.get(1), fresh);
            try {
                await().atMost(T).until(() -> Events.of(dir, "USR2").stream().map(Events.Event::pid).distinct().count() == 3);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("USR2 to each of " + all + " after the master's death; events: " + Events.read(dir)
                        + "; alive: " + all.stream().filter(Procs::alive).toList() + "; log:\n" + m.tail(), e);
            }
            await().atMost(T).until(() -> originals.stream().noneMatch(Procs::alive) && !Procs.alive(fresh));
        }
    }
}
