package einhorn.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessesTest {
    @Test
    void waitPidReportsExitCode() {
        int pid = Spawn.spawn(Proc.SH, List.of("sh", "-c", "exit 3"), List.of(), new int[0]);
        ExitStatus status = Proc.awaitExit(pid);
        assertThat(status.pid()).isEqualTo(pid);
        assertThat(status.exited()).isTrue();
        assertThat(status.exitCode()).isEqualTo(3);
        assertThat(status.describe()).isEqualTo("exit status 3");
        // Reaped: it is no longer our child.
        assertThatThrownBy(() -> Processes.waitPid(pid))
                .isInstanceOfSatisfying(ErrnoException.class,
                        e -> assertThat(e.errno()).isEqualTo(ErrnoException.ECHILD));
    }

    @Test
    void waitPidIsNullWhileRunning() {
        int pid = Spawn.spawn(Proc.sleepPath(), List.of("sleep", "30"), List.of(), new int[0]);
        try {
            assertThat(Processes.waitPid(pid)).isNull();
        } finally {
            Proc.killAndReap(pid);
        }
    }

    @Test
    void waitPidOnAStrangerThrowsEchild() {
        assertThatThrownBy(() -> Processes.waitPid(Posix.getppid()))
                .isInstanceOfSatisfying(ErrnoException.class, e -> {
                    assertThat(e.errno()).isEqualTo(ErrnoException.ECHILD);
                    assertThat(e.getMessage()).isEqualTo("waitpid: No child processes");
                });
    }

    @Test
    void waitAnyCollectsEveryChildThenReturnsNull() {
        Map<Integer, Integer> expected = new HashMap<>();
        for (int code : new int[] {4, 5, 6}) {
            int pid = Spawn.spawn(Proc.SH, List.of("sh", "-c", "exit " + code), List.of(),
                    new int[0]);
            expected.put(pid, code);
        }
        Map<Integer, Integer> seen = new HashMap<>();
        Proc.await("all three children", () -> {
            ExitStatus s;
            while ((s = Processes.waitAny()) != null) {
                seen.put(s.pid(), s.exitCode());
            }
            return seen.size() >= expected.size();
        });
        assertThat(seen).isEqualTo(expected);
        assertThat(Processes.waitAny()).as("no children left (ECHILD)").isNull();
    }

    @Test
    void waitAnyIsNullWhileChildrenRun() {
        int pid = Spawn.spawn(Proc.sleepPath(), List.of("sleep", "30"), List.of(), new int[0]);
        try {
            assertThat(Processes.waitAny()).isNull();
        } finally {
            Proc.killAndReap(pid);
        }
    }
}
