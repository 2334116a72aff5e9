package einhorn.posix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExitStatusTest {
    @Test
    void signalNumbersRoundTrip() {
        for (Signal s : Signal.values()) {
            assertThat(Signal.of(s.number())).isSameAs(s);
        }
        assertThat(Signal.values()).hasSize(31);
        assertThat(Signal.of(0)).isNull();
        assertThat(Signal.of(32)).isNull();
        assertThat(Signal.of(-1)).isNull();
        assertThat(Signal.TERM.number()).isEqualTo(15);
        assertThat(Signal.CHLD.number()).isEqualTo(17);
    }

    @Test
    void decodesAnExit() {
        ExitStatus s = new ExitStatus(42, 3 << 8);
        assertThat(s.exited()).isTrue();
        assertThat(s.exitCode()).isEqualTo(3);
        assertThat(s.signaled()).isFalse();
        assertThat(s.termSignal()).isEqualTo(-1);
        assertThat(s.coreDumped()).isFalse();
        assertThat(s.describe()).isEqualTo("exit status 3");
        assertThat(new ExitStatus(1, 0).describe()).isEqualTo("exit status 0");
        assertThat(new ExitStatus(1, 255 << 8).exitCode()).isEqualTo(255);
    }

    @Test
    void decodesADeathBySignal() {
        ExitStatus killed = new ExitStatus(42, 9);
        assertThat(killed.exited()).isFalse();
        assertThat(killed.exitCode()).isEqualTo(-1);
        assertThat(killed.signaled()).isTrue();
        assertThat(killed.termSignal()).isEqualTo(9);
        assertThat(killed.describe()).isEqualTo("killed by SIGKILL");

        ExitStatus core = new ExitStatus(42, 0x80 | 11);
        assertThat(core.coreDumped()).isTrue();
        assertThat(core.describe()).isEqualTo("killed by SIGSEGV, core dumped");

        assertThat(new ExitStatus(42, 40).describe()).isEqualTo("killed by signal 40");
    }

    @Test
    void describesARealChildKilledWithSigkill() {
        int pid = Spawn.spawn(Proc.sleepPath(), List.of("sleep", "30"), List.of(), new int[0]);
        assertThat(Processes.waitPid(pid)).as("still running").isNull();
        assertThat(Posix.kill(pid, Signal.KILL.number())).isTrue();
        ExitStatus status = Proc.awaitExit(pid);
        assertThat(status.signaled()).isTrue();
        assertThat(status.termSignal()).isEqualTo(9);
        assertThat(status.describe()).isEqualTo("killed by SIGKILL");
    }

    @Test
    void describesARealChildThatKilledItselfWithTerm() {
        int pid = Spawn.spawn(Proc.SH, List.of("sh", "-c", "kill -TERM $$"), List.of(), new int[0]);
        ExitStatus status = Proc.awaitExit(pid);
        assertThat(status.describe()).isEqualTo("killed by SIGTERM");
    }
}
