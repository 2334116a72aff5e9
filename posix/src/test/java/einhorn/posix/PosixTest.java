package einhorn.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PosixTest {
    @Test
    void pidsMatchTheJdk() {
        assertThat(Posix.getpid()).isEqualTo((int) ProcessHandle.current().pid());
        assertThat(Posix.getppid())
                .isEqualTo((int) ProcessHandle.current().parent().orElseThrow().pid());
    }

    @Test
    void killProbesAndReportsMissingProcesses() {
        assertThat(Posix.kill(Posix.getpid(), 0)).isTrue();
        assertThat(Posix.kill(Integer.MAX_VALUE, 0)).isFalse();
    }

    @Test
    void killWithABadSignalThrows() {
        assertThatThrownBy(() -> Posix.kill(Posix.getpid(), 99))
                .isInstanceOfSatisfying(ErrnoException.class, e -> {
                    assertThat(e.errno()).isEqualTo(22);
                    assertThat(e.getMessage()).isEqualTo("kill: Invalid argument");
                });
    }

    @Test
    void killDeliversTheSignalToAChild() {
        int pid = Spawn.spawn(Proc.sleepPath(), List.of("sleep", "30"), List.of(), new int[0]);
        assertThat(Posix.kill(pid, Signal.TERM.number())).isTrue();
        assertThat(Proc.awaitExit(pid).termSignal()).isEqualTo(15);
    }

    @Test
    void killReachesAChildsWholeProcessGroup() {
        // The child is a group leader (POSIX_SPAWN_SETPGROUP), so -pid reaches its children too.
        // As subreaper we inherit the dead grandchild and can reap it at once, rather than
        // waiting for whatever init this machine runs to get round to it.
        Posix.setChildSubreaper();
        int[] pair = Sockets.socketPair();
        try {
            int pid = Spawn.spawn(Proc.SH, List.of("sh", "-c", "sleep 30 & echo $! >&3; wait"),
                    List.of("PATH=/usr/bin:/bin"), new int[] {pair[1]});
            int grandchild = Integer.parseInt(readLine(pair[0]));
            assertThat(Proc.statFields(Integer.toString(grandchild))[2])
                    .isEqualTo(Integer.toString(pid));
            assertThat(Posix.kill(-pid, Signal.KILL.number())).isTrue();
            assertThat(Proc.awaitExit(pid).termSignal()).isEqualTo(9);
            Proc.awaitGone(grandchild);
        } finally {
            Proc.closeAll(pair);
        }
    }

    @Test
    void umaskReturnsThePreviousMask() {
        int original = Posix.umask(022);
        try {
            assertThat(Posix.umask(077)).isEqualTo(022);
            assertThat(Posix.umask(022)).isEqualTo(077);
        } finally {
            Posix.umask(original);
        }
    }

    @Test
    void subreaperAdoptsOrphanedGrandchildren() {
        Posix.setChildSubreaper();
        int[] pair = Sockets.socketPair();
        try {
            // sh starts a background sleep, reports its pid and exits, orphaning the sleep.
            int pid = Spawn.spawn(Proc.SH, List.of("sh", "-c", "sleep 30 & echo $! >&3"),
                    List.of("PATH=/usr/bin:/bin"), new int[] {pair[1]});
            int orphan = Integer.parseInt(readLine(pair[0]));
            assertThat(Proc.awaitExit(pid).exitCode()).isZero();
            String self = Integer.toString(Posix.getpid());
            Proc.await("orphan reparented to us",
                    () -> Proc.statFields(Integer.toString(orphan))[1].equals(self));
            Posix.kill(orphan, Signal.KILL.number());
            assertThat(Proc.awaitExit(orphan).termSignal()).isEqualTo(9);
        } finally {
            Proc.closeAll(pair);
        }
    }

    @Test
    void pdeathsigIsPerThread() throws InterruptedException {
        AtomicInteger inThread = new AtomicInteger(-1);
        Thread t = Thread.ofPlatform().start(() -> {
            // SIGURG is ignored by default, so it is harmless should our parent die meanwhile.
            TestLibc.setPdeathsig(Signal.URG.number());
            inThread.set(Posix.getPdeathsig());
        });
        t.join();
        assertThat(inThread.get()).isEqualTo(Signal.URG.number());
        assertThat(Posix.getPdeathsig()).isBetween(0, 64);
    }

    /** Reads one line from a blocking fd whose writer may keep it open. */
    static String readLine(int fd) {
        StringBuilder line = new StringBuilder();
        byte[] one = new byte[1];
        while (Io.read(fd, one, 0, 1) == 1 && one[0] != '\n') {
            line.append((char) one[0]);
        }
        return line.toString();
    }
}
