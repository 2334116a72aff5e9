package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cases/reliability.md C12: a worker that binds the port itself does not cause a tight restart loop. */
class C12SelfBindingWorkerTest {
    @TempDir
    Path dir;

    @Test
    void selfBindingNewCodeBacksOffWhileTheOriginalKeepsServing() {
        int p = Ports.free();
        Path ok = Workers.wrapper(dir, "ok");
        Path selfbind = Workers.script(dir, "selfbind", "#!" + Env.python() + " -S\n"
                + "import socket, sys\n"
                + "s = socket.socket()\n"
                + "try:\n"
                + "    s.bind(('127.0.0.1', " + p + ")); s.listen()\n"
                + "except OSError as e:\n"
                + "    sys.stderr.write('selfbind: cannot listen on " + p + ": %s\\n' % e.strerror); sys.exit(1)\n");
        Path cur = dir.resolve("cur");
        Workers.relink(cur, ok);
        try (Master m = Master.start(dir, "-n", "1", "-m", "1", "-b", "127.0.0.1:" + p, "--", cur.toString())) {
            await().atMost(Duration.ofSeconds(15)).until(() -> m.state().settled(1));
            long original = m.state().pids().getFirst();
            int before = m.logLines("===> Launched").size();
            Workers.relink(cur, selfbind);
            Shell.execAsync(m.sock, "upgrade", Duration.ofSeconds(40));
            m.waitForLog("===> Launched", before + 4, Duration.ofSeconds(20));

            List<Line> launches = m.logLines("===> Launched");
            launches = launches.subList(before, launches.size());
            List<Double> gaps = new ArrayList<>();
            for (int i = 1; i < launches.size(); i++) gaps.add((launches.get(i).nanos() - launches.get(i - 1).nanos()) / 1e9);
            for (int k = 0; k < gaps.size(); k++) {
                assertThat(gaps.get(k)).as("gap %d of %s", k, gaps).isGreaterThanOrEqualTo(Math.pow(1.5, k + 1) * 0.9);
                if (k > 0) assertThat(gaps.get(k)).as("gaps never shrink: %s", gaps).isGreaterThanOrEqualTo(gaps.get(k - 1) * 0.9);
            }
            assertThat(m.logLines("===> Exited worker \\d+ before it was ACKed \\(exit status 1\\)")).hasSizeGreaterThanOrEqualTo(3);
            assertThat(m.stderrText()).contains("selfbind: cannot listen on " + p + ": Address already in use");
            State s = m.state();
            assertThat(s.pids()).contains(original);
            assertThat(s.children().stream().filter(c -> c.pid() == original)).allSatisfy(c -> assertThat(c.signaled()).isEmpty());
            assertThat(Procs.alive(original)).isTrue();
            assertThat(Procs.output("ss", "-ltnH", "( sport = :" + p + " )")).contains(":" + p);
        }
    }
}
