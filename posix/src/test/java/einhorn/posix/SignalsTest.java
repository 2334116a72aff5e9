package einhorn.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Every test runs in a fresh platform thread: masks are per thread, and a process-directed
 * signal could land in any JVM thread that does not block it, so only thread-directed signals
 * (tgkill) of kinds that are harmless by default (WINCH, URG) are sent.
 */
class SignalsTest {
    private static final int WINCH = Signal.WINCH.number();
    private static final int URG = Signal.URG.number();

    private static <T> T inFreshThread(Callable<T> body) throws InterruptedException {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                result.set(body.call());
            } catch (Throwable e) {
                result.set(e);
            }
        });
        t.join();
        if (result.get() instanceof Throwable e) {
            throw new AssertionError(e);
        }
        @SuppressWarnings("unchecked")
        T value = (T) result.get();
        return value;
    }

    @Test
    void blockAffectsOnlyTheCallingThread() throws InterruptedException {
        long before = Signals.blockedMaskOfThisThread();
        long mask = inFreshThread(() -> {
            Signals.block(WINCH, URG);
            return Signals.blockedMaskOfThisThread();
        });
        assertThat(mask & SigSet.bit(WINCH)).isNotZero();
        assertThat(mask & SigSet.bit(URG)).isNotZero();
        assertThat(Signals.blockedMaskOfThisThread()).isEqualTo(before);
    }

    @Test
    void blockedMaskMatchesProcStatus() throws InterruptedException {
        inFreshThread(() -> {
            Signals.block(WINCH);
            String tid = Posix.getpid() + "/task/" + TestLibc.gettid();
            assertThat(Proc.statusMask(tid, "SigBlk")).isEqualTo(Signals.blockedMaskOfThisThread());
            return null;
        });
    }

    @Test
    void signalfdReceivesAThreadDirectedSignal() throws InterruptedException {
        int got = inFreshThread(() -> {
            Signals.block(WINCH, URG);
            int fd = Signals.signalfd(WINCH, URG);
            try {
                assertThat(Io.isNonBlocking(fd)).isTrue();
                assertThat(Proc.fdFlags(fd) & 02000000).as("CLOEXEC").isNotZero();
                assertThat(Signals.readSignal(fd)).as("nothing pending").isEqualTo(-1);
                try (Epoll epoll = new Epoll()) {
                    epoll.add(fd, Epoll.IN);
                    TestLibc.tgkill(TestLibc.gettid(), WINCH);
                    assertThat(epoll.poll(5_000)).isEqualTo(1);
                    assertThat(epoll.readyFd(0)).isEqualTo(fd);
                }
                int first = Signals.readSignal(fd);
                assertThat(Signals.readSignal(fd)).as("consumed").isEqualTo(-1);
                TestLibc.tgkill(TestLibc.gettid(), URG);
                assertThat(Signals.readSignal(fd)).isEqualTo(URG);
                return first;
            } finally {
                Io.close(fd);
            }
        });
        assertThat(got).isEqualTo(WINCH);
    }

    @Test
    void setDefaultUndoesAnIgnore() {
        int ttou = Signal.TTOU.number();
        TestLibc.ignore(ttou);
        assertThat(Proc.statusMask("self", "SigIgn") & SigSet.bit(ttou)).isNotZero();
        Signals.setDefault(ttou);
        assertThat(Proc.statusMask("self", "SigIgn") & SigSet.bit(ttou)).isZero();
    }

    @Test
    void setDefaultOnKillIsRefused() {
        assertThatThrownBy(() -> Signals.setDefault(Signal.KILL.number()))
                .isInstanceOfSatisfying(ErrnoException.class,
                        e -> assertThat(e.errno()).isEqualTo(ErrnoException.EINVAL));
    }

    @Test
    void outOfRangeSignalNumbersAreRejected() {
        assertThatThrownBy(() -> Signals.block(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Signals.signalfd(65))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readSignalOnANonSignalfdFails() {
        int[] pair = Sockets.socketPair();
        try {
            Io.write(pair[1], new byte[3], 0, 3);
            assertThatThrownBy(() -> Signals.readSignal(pair[0]))
                    .isInstanceOf(IllegalStateException.class);
        } finally {
            Proc.closeAll(pair);
        }
    }
}
