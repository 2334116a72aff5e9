package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §4: what a worker inherits. One master, started under {@code env -i} with two listeners (the
 * second with {@code ,n}) and two {@code /bin/sleep} workers, serves every test here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerEnvironmentTest {
    Master master;
    List<Long> workers;

    @BeforeAll
    void start(@TempDir Path dir) {
        master = Master.builder(dir)
                .prefix("env", "-i", "PATH=/usr/bin:/bin", "EINHORN_FD_7=stale", "EINHORN_SOCK_FD=9")
                .args("-b", "127.0.0.1:0", "-b", "127.0.0.1:0,n", "-n", "2", "-m", "0", "--", "/bin/sleep", "1000")
                .start();
        await().atMost(Duration.ofSeconds(15)).until(() -> master.workers().size() == 2);
        workers = master.workers();
    }

    @AfterAll
    void stop() {
        if (master != null) master.close();
    }

    @Test
    void workerSeesOnlyPathAndEinhornVariables() {
        for (long w : workers) {
            Map<String, String> env = Procs.environ(w);
            assertThat(env.keySet()).containsExactlyInAnyOrder("PATH", "EINHORN_MASTER_PID", "EINHORN_SOCK_PATH",
                    "EINHORN_FD_COUNT", "EINHORN_FD_0", "EINHORN_FD_1", "EINHORN_FDS", "EINHORN_CHILD_INDEX");
            assertThat(env).containsEntry("PATH", "/usr/bin:/bin");
        }
    }

    @Test
    void listenerVariablesNameFdsThreeAndFourInBindOrder() {
        for (long w : workers) {
            Map<String, String> env = Procs.environ(w);
            assertThat(env).containsEntry("EINHORN_FDS", "3 4").containsEntry("EINHORN_FD_COUNT", "2")
                    .containsEntry("EINHORN_FD_0", "3").containsEntry("EINHORN_FD_1", "4");
        }
    }

    @Test
    void masterPidIsTheWorkersParentAndTheLaunchedPid() {
        for (long w : workers) {
            assertThat(Procs.environ(w)).containsEntry("EINHORN_MASTER_PID", Long.toString(master.pid()));
            assertThat(Procs.ppid(w)).isEqualTo(master.pid());
        }
    }

    @Test
    void sockPathIsTheConfiguredPathAndIndicesAreZeroAndOne() {
        TreeSet<String> indices = new TreeSet<>();
        for (long w : workers) {
            assertThat(Procs.environ(w)).containsEntry("EINHORN_SOCK_PATH", master.sock.toString());
            indices.add(Procs.environ(w).get("EINHORN_CHILD_INDEX"));
        }
        assertThat(indices).containsExactly("0", "1");
    }

    @Test
    void fdTableHoldsOnlyStdioAndTheListeners() {
        for (long w : workers) {
            assertThat(Procs.fds(w)).containsExactly(0, 1, 2, 3, 4);
            assertThat(Procs.fdTarget(w, 3)).startsWith("socket:[");
            assertThat(Procs.fdTarget(w, 4)).startsWith("socket:[");
        }
    }

    @Test
    void listenerIsNonBlockingOnlyWithTheNFlag() {
        for (long w : workers) {
            assertThat(Procs.fdFlags(w, 3) & Procs.O_NONBLOCK).as("fd 3 (no n)").isZero();
            assertThat(Procs.fdFlags(w, 4) & Procs.O_NONBLOCK).as("fd 4 (,n)").isEqualTo(Procs.O_NONBLOCK);
        }
    }

    @Test
    void signalMaskIsEmptyAndNoClassicSignalIsIgnored() {
        for (long w : workers) {
            Map<String, String> status = Procs.status(w);
            assertThat(Long.parseUnsignedLong(status.get("SigBlk"), 16)).as("SigBlk").isZero();
            long ignored = Long.parseUnsignedLong(status.get("SigIgn"), 16);
            assertThat(ignored & 0x7fffffffL).as("SigIgn bits for signals 1..31 (SigIgn=%s)", status.get("SigIgn")).isZero();
        }
    }

    @Test
    void eachWorkerLeadsItsOwnProcessGroup() {
        for (long w : workers) assertThat(Procs.pgid(w)).isEqualTo(w);
    }

    @Test
    void argvIsTheResolvedCommandAndItsArguments() {
        for (long w : workers) assertThat(Procs.cmdline(w)).containsExactly("/bin/sleep", "1000");
    }

    @Test
    void stateListsTheWorkersAndTheirBoundPorts() {
        State s = master.state();
        assertThat(s.pids()).containsExactlyInAnyOrderElementsOf(workers);
        assertThat((List<?>) s.get("bound_ports")).hasSize(2).allSatisfy(p -> assertThat(((Number) p).intValue()).isPositive());
    }
}
