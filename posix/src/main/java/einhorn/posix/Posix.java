package einhorn.posix;

import static einhorn.posix.Native.INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Process identity, signalling and prctl. */
public final class Posix {
    private static final int PR_GET_PDEATHSIG = 2;
    private static final int PR_SET_CHILD_SUBREAPER = 36;

    private Posix() {}

    private static final Native.Fn GETPID = Native.fn("getpid");
    private static final Native.Fn GETPPID = Native.fn("getppid");
    private static final Native.Fn GETEUID = Native.fn("geteuid");
    private static final Native.Fn KILL = Native.fn("kill");
    private static final Native.Fn UMASK = Native.fn("umask");
    // prctl is variadic; every option used here takes one long-sized argument.
    private static final Native.Fn PRCTL = Native.fn("prctl");

    public static int getpid() {
        return (int) GETPID.call(Native.state());
    }

    /** The effective uid: command-socket peers must be this user or root. */
    public static int geteuid() {
        return (int) GETEUID.call(Native.state());
    }

    public static int getppid() {
        return (int) GETPPID.call(Native.state());
    }

    /**
     * Sends {@code sig} (0 only probes) to {@code pid}, which may be negative for a process group.
     *
     * @return true if sent, false if there is no such process (ESRCH)
     * @throws ErrnoException for anything else, e.g. EPERM or EINVAL
     */
    public static boolean kill(int pid, int sig) {
        MemorySegment st = Native.state();
        int r = (int) KILL.call(st, pid, sig);
        if (r == 0) {
            return true;
        }
        int errno = Native.errno(st);
        if (errno == ErrnoException.ESRCH) {
            return false;
        }
        throw new ErrnoException("kill", errno);
    }

    /** Sets the process-wide umask and returns the previous one. */
    public static int umask(int mask) {
        return (int) UMASK.call(Native.state(), mask);
    }

    /** Orphaned descendants (e.g. a worker's daemonised children) get reparented to us. */
    public static void setChildSubreaper() {
        prctl("prctl(PR_SET_CHILD_SUBREAPER)", PR_SET_CHILD_SUBREAPER, 1L);
    }

    /** The parent-death signal of the calling thread's process, 0 if none. */
    public static int getPdeathsig() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(INT);
            prctl("prctl(PR_GET_PDEATHSIG)", PR_GET_PDEATHSIG, out.address());
            return out.get(INT, 0);
        }
    }

    private static void prctl(String call, int option, long arg) {
        MemorySegment st = Native.state();
        int r = (int) PRCTL.call(st, option, arg);
        if (r < 0) {
            throw new ErrnoException(call, Native.errno(st));
        }
    }
}
