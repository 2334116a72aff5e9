package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §9: the master reloads in place (same pid), keeping listeners, connections and workers. */
class ReloadTest {
    static final Duration T = Duration.ofSeconds(30);
    static final int RELOADS = Integer.getInteger("it.reloads", 20);
    @TempDir
    Path dir;

    /** The socket inodes the master holds open ({@code socket:[N]} targets of /proc/PID/fd). */
    private static Set<String> sockets(long pid) {
        Set<String> out = new TreeSet<>();
        for (int fd : Procs.fds(pid)) {
            try {
                String t = Procs.fdTarget(pid, fd);
                if (t.startsWith("socket:")) out.add(t);
            } catch (RuntimeException gone) {
                // an fd closed while we listed them
            }
        }
        return out;
    }

    @Test
    void reloadKeepsThePidTheListenerAndEveryOpenConnectionAndOneEinhornshSessionRunsOn() {
        int port = Ports.free();
        Path w = Workers.wrapper(dir, "w", "serve=line");
        try (Master m = Master.start(dir, "-n", "2", "-m", "manual", "-s", "0.2", "-b", "127.0.0.1:" + port, "--", w.toString())) {
            await().atMost(T).until(() -> m.state().settled(2));
            List<Long> workers = m.state().pids();
            String listener = Procs.fdTarget(workers.getFirst(), 3);
            assertThat(sockets(m.pid())).contains(listener);
            try (Ctl open = Ctl.connect(m.sock)) {
                open.send("{\"id\":\"before\",\"command\":\"ehlo\",\"user\":\"u\"}");
                assertThat(open.readReply().requestId()).isEqualTo("before");

                Shell.Result r = Shell.exec(m.sock, "reload; ehlo; inc", T);
                assertThat(r.exit()).as(r.toString()).isZero();
                assertThat(r.outLines()).containsExactly(
                        "Reloading, as commanded",
                        "Reload done (generation 1)",
                        "Welcome, ! You are speaking to Einhorn Master Process " + m.pid() + ".",
                        "This is Einhorn " + Env.version() + ".",
                        "Incrementing number of workers from 2 -> 3");

                // the connection opened before the reload is still served by the new image
                open.send("{\"id\":\"after\",\"command\":\"ehlo\",\"user\":\"u\"}");
                Reply after = open.readReply();
                assertThat(after.requestId()).isEqualTo("after");
                assertThat(after.message()).startsWith("Welcome, u! You are speaking to Einhorn Master Process " + m.pid());
            }
            assertThat(m.alive()).isTrue();
            assertThat(m.logLines("Upgrade check passed")).hasSize(1);
            assertThat(m.state().get("generation")).isEqualTo(1);
            await().atMost(T).until(() -> m.state().settled(3));
            assertThat(m.state().pids()).containsAll(workers);
            assertThat(sockets(m.pid())).as("the listener is the same socket").contains(listener);
            for (long p : m.state().pids()) assertThat(Procs.fdTarget(p, 3)).isEqualTo(listener);
            assertThat(Ports.readLine(port, 3000)).startsWith("hello from ");
            assertThat(m.logLines("already in use")).isEmpty();
        }
    }

    @Test
    void twentyBackToBackReloadsKeepTheMasterPidAndEveryAckedWorker() {
        Path w = Workers.wrapper(dir, "w");
        try (Master m = Master.start(dir, "-n", "2", "-m", "manual", "-s", "0.2", "-p", dir.resolve("preload.rb").toString(),
                "--gc-before-fork", "--", w.toString())) {
            await().atMost(T).until(() -> m.state().settled(2));
            List<Long> workers = m.state().pids();
            try (Ctl c = Ctl.connect(m.sock)) {
                for (int i = 1; i <= RELOADS; i++) {
                    c.send("{\"id\":" + i + ",\"command\":\"reload\"}");
                    List<Reply> replies = c.readUntilFinal(T);
                    assertThat(replies).extracting(Reply::message)
                            .containsExactly("Reloading, as commanded", "Reload done (generation " + i + ")");
                    assertThat(replies.getLast().isError()).isFalse();
                }
            }
            State s = m.state();
            assertThat(m.alive()).isTrue();
            assertThat(s.get("generation")).isEqualTo(RELOADS);
            assertThat(s.settled(2)).as("settled: %s", s.root()).isTrue();
            assertThat(s.pids()).containsExactlyElementsOf(workers);
            assertThat(m.workers()).containsExactlyInAnyOrderElementsOf(workers);
            for (long p : workers) assertThat(Procs.ppid(p)).as("worker %d is still our child", p).isEqualTo(m.pid());
            assertThat(m.zombies()).isEmpty();
            assertThat(Events.of(dir, "start")).hasSize(2);
            assertThat(Events.read(dir)).noneMatch(e -> e.type().equals("USR2") || e.type().equals("TERM"));
            // §13.2: the -p note at start and after every reload; --gc-before-fork is accepted and shown
            assertThat(m.logLines("INFO: .*Proceeding with postload.*preload\\.rb")).hasSize(RELOADS + 1);
            assertThat(((java.util.Map<?, ?>) s.get("config")).get("gc_before_fork")).isEqualTo(true);
            assertThat(m.logLines("INFO: .*--gc-before-fork")).as("accepted and logged as having no effect").isNotEmpty();
            assertThat(s.get("preloaded")).isEqualTo(false);
            assertThat(s.get("path")).isEqualTo(dir.resolve("preload.rb").toString());
            assertThat(m.stderrText()).doesNotContainIgnoringCase("unknown child").doesNotContain("ERROR");
        }
    }

    @Test
    void thePreloadNoteIsUpgradeTaggedSoAnUpgradeClientGetsItFromTheReloadedImage() {
        Path w = Workers.wrapper(dir, "w");
        try (Master m = Master.start(dir, "-n", "1", "-m", "manual", "-s", "0.2", "-p", dir.resolve("preload.rb").toString(),
                "--", w.toString())) {
            await().atMost(T).until(() -> m.state().settled(1));
            Shell.Result up = Shell.exec(m.sock, "upgrade", T);
            assertThat(up.exit()).as(up.toString()).isZero();
            assertThat(up.outLines().getLast()).isEqualTo("Upgrade done");
            assertThat(m.logLines("INFO: .*Proceeding with postload.*preload\\.rb")).hasSize(2);
            // SPEC §13.2 and §14: the note is upgrade-tagged, so it is streamed to subscribers (§5.7)
            assertThat(up.outLines()).as("the upgrade client's stream").anyMatch(l -> l.contains("Proceeding with postload") && l.contains("preload.rb"));
        }
    }

    @Test
    void aWorkerThatDiesDuringTheReloadIsReapedAndItsExitHandled() {
        Path w = Workers.wrapper(dir, "w");
        try (Master m = Master.start(dir, "-n", "2", "-m", "manual", "-s", "0.2", "--", w.toString())) {
            await().atMost(T).until(() -> m.state().settled(2));
            long victim = m.state().pids().getFirst();
            try (Ctl c = Ctl.connect(m.sock)) {
                c.send("{\"id\":1,\"command\":\"reload\"}");
                assertThat(c.readReply().message()).isEqualTo("Reloading, as commanded");
                // the probe (a JVM start) is running: the exit waits in the kernel across the exec (§9.1)
                Procs.kill(victim, "KILL");
                assertThat(m.logLines("Re-executing master")).as("killed before the exec").isEmpty();
                assertThat(c.readUntilFinal(T).getLast().message()).isEqualTo("Reload done (generation 1)");
            }
            await().atMost(T).until(() -> m.state().settled(2) && !m.state().pids().contains(victim) && m.workers().size() == 2);
            assertThat(m.zombies()).isEmpty();
            assertThat(Procs.stat(victim)).as("the victim was reaped").isEmpty();
            assertThat(m.stderrText()).doesNotContainIgnoringCase("unknown child");
            // §9.5 step 2: an exit during the exec is reaped by the new image and handled as in §7.4
            assertThat(m.logLines("===> Exited worker " + victim + " \\(killed by SIGKILL\\)"))
                    .as("the exit of %d logged with its status; log:%n%s", victim, m.tail()).hasSize(1);
        }
    }

    @Test
    void aPendingAckTimerKeepsItsOriginalStartAcrossReloads() {
        Path w = Workers.wrapper(dir, "w", "ack=none");
        try (Master m = Master.start(dir, "-n", "1", "-m", "6", "--", w.toString())) {
            Line launched = m.waitForLog("===> Launched", T);
            await().atMost(T).until(() -> m.state().children().size() == 1);
            try (Ctl c = Ctl.connect(m.sock)) {
                // reload until at least 3 s of the timer have gone by
                for (int i = 1; System.nanoTime() - launched.nanos() < 3_000_000_000L; i++) {
                    c.send("{\"id\":" + i + ",\"command\":\"reload\"}");
                    assertThat(c.readUntilFinal(T).getLast().message()).isEqualTo("Reload done (generation " + i + ")");
                }
            }
            double reloaded = (System.nanoTime() - launched.nanos()) / 1e9;
            Line acked = m.waitForLog("has been up for", T);
            double after = (acked.nanos() - launched.nanos()) / 1e9;
            // kept: the ack comes 6 s after the launch, or at once if the reloads took longer than that;
            // restarted from the last restore it would come 6 s after the reloads (>= 9 s after the launch)
            assertThat(after).as("ack %.2f s after the launch, reloads done after %.2f s", after, reloaded)
                    .isGreaterThanOrEqualTo(5.8).isLessThan(Math.max(6.0, reloaded) + 1.5);
            assertThat(m.state().settled(1)).isTrue();
        }
    }

    @Test
    void niceLevelsApplyToTheMasterAndWorkersAndSurviveAReload() {
        Path w = Workers.wrapper(dir, "w");
        try (Master m = Master.start(dir, "--nice", "3:7", "-n", "1", "-m", "manual", "-s", "0.2", "--", w.toString())) {
            await().atMost(T).until(() -> m.state().settled(1));
            assertThat(ni(m.pid())).isEqualTo(3);
            assertThat(ni(m.state().pids().getFirst())).isEqualTo(7);
            Shell.Result r = Shell.exec(m.sock, "reload; inc", T);
            assertThat(r.exit()).as(r.toString()).isZero();
            await().atMost(T).until(() -> m.state().settled(2));
            assertThat(ni(m.pid())).isEqualTo(3);
            for (long p : m.state().pids()) assertThat(ni(p)).as("worker %d", p).isEqualTo(7);
        }
    }

    static int ni(long pid) {
        return Integer.parseInt(Procs.output("ps", "-o", "ni=", "-p", Long.toString(pid)).trim());
    }
}
