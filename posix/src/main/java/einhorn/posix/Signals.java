package einhorn.posix;

import static einhorn.posix.Native.INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Signal masks and signalfd. A mask belongs to one native thread: {@link #block} changes only
 * the calling thread. Threads started afterwards inherit it, except that HotSpot unblocks in
 * every new thread HUP, INT and TERM (unless -Xrs) and its suspend signal (USR2 unless
 * _JAVA_SR_SIGNUM moves it); threads that already run (GC, compiler...) keep their own mask.
 * So to route a signal to a signalfd, block it before exec and start the JVM with -Xrs.
 * Do not call these from a virtual thread: the mask would land on whatever carrier runs it.
 */
public final class Signals {
    private static final int SIG_BLOCK = 0;
    private static final int SFD_NONBLOCK = 0x800;
    private static final int SFD_CLOEXEC = 0x80000;
    private static final int SIGINFO_SIZE = 128; // struct signalfd_siginfo; ssi_signo is @0
    private static final long SIG_DFL = 0;
    private static final long SIG_ERR = -1;

    private Signals() {}

    // pthread_sigmask reports its error as the return value, not in errno.
    private static final Native.Fn PTHREAD_SIGMASK = Native.fn("pthread_sigmask");
    private static final Native.Fn SIGNAL = Native.fn("signal");
    private static final Native.Fn SIGNALFD = Native.fn("signalfd");

    /** Adds {@code signals} to the calling thread's blocked mask. */
    public static void block(int... signals) {
        try (Arena arena = Arena.ofConfined()) {
            int err = (int) PTHREAD_SIGMASK.call(Native.state(), SIG_BLOCK,
                    SigSet.of(arena, signals).address(), 0);
            if (err != 0) {
                throw new ErrnoException("pthread_sigmask", err);
            }
        }
    }

    /**
     * Resets {@code signals} to their default action, process-wide. Never use it on a signal
     * HotSpot handles (SEGV, BUS, FPE, ILL, PIPE, XFSZ, its suspend signal, QUIT without -Xrs).
     */
    public static void setDefault(int... signals) {
        for (int sig : signals) {
            MemorySegment st = Native.state();
            long r = SIGNAL.call(st, sig, SIG_DFL);
            if (r == SIG_ERR) {
                throw new ErrnoException("signal(" + sig + ", SIG_DFL)", Native.errno(st));
            }
        }
    }

    /**
     * A non-blocking, CLOEXEC signalfd for {@code signals}. It only receives signals that every
     * thread blocks (else they are delivered the ordinary way), see {@link #block}.
     */
    public static int signalfd(int... signals) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = Native.state();
            int fd = (int) SIGNALFD.call(st, -1, SigSet.of(arena, signals).address(),
                    SFD_NONBLOCK | SFD_CLOEXEC);
            if (fd < 0) {
                throw new ErrnoException("signalfd", Native.errno(st));
            }
            return fd;
        }
    }

    /**
     * Dequeues one signal. Process-directed signals and those directed at the calling thread
     * are visible; signals directed at another thread are not.
     *
     * @return the signal number, or -1 if none is pending
     */
    public static int readSignal(int signalFd) {
        byte[] info = new byte[SIGINFO_SIZE];
        int n = Io.read(signalFd, info, 0, SIGINFO_SIZE);
        if (n < 0) {
            return -1;
        }
        if (n != SIGINFO_SIZE) {
            throw new IllegalStateException("short signalfd read: " + n + " bytes");
        }
        // ssi_signo: the first u32, little-endian on x86_64.
        return (info[0] & 0xff) | (info[1] & 0xff) << 8 | (info[2] & 0xff) << 16
                | (info[3] & 0xff) << 24;
    }

    /** Signals 1..64 blocked in the calling thread, bit n-1 for signal n. */
    public static long blockedMaskOfThisThread() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = SigSet.of(arena);
            int err = (int) PTHREAD_SIGMASK.call(Native.state(), SIG_BLOCK, 0, old.address());
            if (err != 0) {
                throw new ErrnoException("pthread_sigmask", err);
            }
            return SigSet.firstWord(old);
        }
    }
}
