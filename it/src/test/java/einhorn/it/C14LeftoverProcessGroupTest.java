package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cases/reliability.md C14: a retired worker leaves nothing behind that holds the port. */
class C14LeftoverProcessGroupTest {
    static final Duration T = Duration.ofSeconds(15);
    @TempDir
    Path dir;

    @Test
    void step1DieCleansUpTheWorkersBackgroundChildAndFreesThePort() {
        int p = Ports.free();
        Path gc = Workers.wrapper(dir, "gc", "child=sleep");
        try (Master m = Master.start(dir, "-n", "1", "-m", "manual", "-b", "127.0.0.1:" + p, "--", gc.toString())) {
            await().atMost(T).until(() -> m.state().settled(1));
            long worker = m.state().pids().getFirst();
            assertThat(Procs.pgid(worker)).isEqualTo(worker);
            await().atMost(T).until(() -> Procs.inGroup(worker).size() == 2);
            long leftover = Procs.inGroup(worker).stream().filter(pid -> pid != worker).findFirst().orElseThrow();
            assertThat(Shell.exec(m.sock, "die").exit()).isZero();
            assertThat(m.waitExit(Duration.ofSeconds(5))).isZero();
            assertThat(Procs.inGroup(worker)).as("processes left in group %d", worker).isEmpty();
            assertThat(m.logLines("\\b" + leftover + "\\b")).as("the leftover %d is logged", leftover).isNotEmpty();
            assertThat(Events.of(dir, "USR2")).as("the worker itself got USR2").hasSize(1);
            assertThat(Ports.unbound(p)).as("port %d free", p).isTrue();
        }
    }

    @Test
    void step2AStubbornLeftoverIsKilledAfterTheSignalTimeout() {
        int p = Ports.free();
        Path gc2 = Workers.wrapper(dir, "gc2", "child=stubborn");
        try (Master m = Master.start(dir, "-n", "1", "-m", "manual", "-t", "2", "-b", "127.0.0.1:" + p, "--", gc2.toString())) {
            await().atMost(T).until(() -> m.state().settled(1));
            long worker = m.state().pids().getFirst();
            await().atMost(T).until(() -> Procs.inGroup(worker).size() == 2);
            long leftover = Procs.inGroup(worker).stream().filter(pid -> pid != worker).findFirst().orElseThrow();
            long t0 = System.nanoTime();
            assertThat(Shell.exec(m.sock, "die").exit()).isZero();
            assertThat(m.waitExit(Duration.ofSeconds(6))).isZero();
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(6.0);
            assertThat(Procs.inGroup(worker)).as("processes left in group %d", worker).isEmpty();
            Line exited = m.waitForLog("===> Exited worker " + worker + "\\b", T);
            List<Line> killLines = m.logLines("\\b" + leftover + "\\b.*(KILL|SIGKILL)|(KILL|SIGKILL).*\\b" + leftover + "\\b");
            assertThat(killLines).as("the leftover %d is KILLed and logged; log:%n%s", leftover, m.tail()).isNotEmpty();
            double after = (killLines.getFirst().nanos() - exited.nanos()) / 1e9;
            assertThat(after).as("KILL %.2f s after the worker exited", after).isBetween(1.5, 3.0);
            assertThat(Ports.unbound(p)).as("port %d free", p).isTrue();
        }
    }

    @Test
    void step3RetiredWorkersBackgroundChildrenAreGoneAfterDecAndUpgrade() {
        int p = Ports.free();
        Path gc = Workers.wrapper(dir, "gc", "child=sleep");
        try (Master m = Master.start(dir, "-n", "2", "-m", "manual", "-s", "0.2", "-b", "127.0.0.1:" + p, "--", gc.toString())) {
            await().atMost(T).until(() -> m.state().settled(2));
            List<Long> first = m.state().pids();
            assertThat(Shell.exec(m.sock, "dec").exit()).isZero();
            await().atMost(T).until(() -> m.state().settled(1) && m.workers().size() == 1);
            long retired = first.stream().filter(pid -> !m.state().pids().contains(pid)).findFirst().orElseThrow();
            await().atMost(T).until(() -> Procs.inGroup(retired).isEmpty());
            long survivor = m.state().pids().getFirst();
            Shell.Result r = Shell.exec(m.sock, "upgrade", Duration.ofSeconds(30));
            assertThat(r.exit()).as(r.toString()).isZero();
            await().atMost(T).until(() -> m.state().settled(1) && !m.state().pids().contains(survivor));
            await().atMost(T).until(() -> Procs.inGroup(survivor).isEmpty());
            Map<Long, List<Long>> groups = m.state().pids().stream().collect(Collectors.toMap(pid -> pid, Procs::inGroup));
            assertThat(groups.values()).allSatisfy(g -> assertThat(g).hasSize(2)); // the live worker and its sleep
        }
    }
}
