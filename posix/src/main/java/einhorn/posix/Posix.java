package einhorn.posix;

import static einhorn.posix.Native.INT;
import static einhorn.posix.Native.LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** Process identity, signalling and prctl. */
public final class Posix {
    private static final int PR_GET_PDEATHSIG = 2;
    private static final int PR_SET_CHILD_SUBREAPER = 36;

    private Posix() {}

    private static final class Pid {
        static final MethodHandle GETPID = Native.plain("getpid", FunctionDescriptor.of(INT));
    }

    private static final class Ppid {
        static final MethodHandle GETPPID = Native.plain("getppid", FunctionDescriptor.of(INT));
    }

    private static final class Kill {
        static final MethodHandle KILL =
                Native.withErrno("kill", FunctionDescriptor.of(INT, INT, INT));
    }

    private static final class Umask {
        static final MethodHandle UMASK = Native.plain("umask", FunctionDescriptor.of(INT, INT));
    }

    private static final class Prctl {
        // prctl is variadic; every option used here takes one long-sized argument.
        static final MethodHandle PRCTL = Native.withErrno("prctl",
                FunctionDescriptor.of(INT, INT, LONG), Native.variadicFrom(1));
    }

    public static int getpid() {
        try {
            return (int) Pid.GETPID.invokeExact();
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final class Uid {
        static final MethodHandle GETEUID = Native.plain("geteuid", FunctionDescriptor.of(INT));
    }

    /** The effective uid: command-socket peers must be this user or root. */
    public static int geteuid() {
        try {
            return (int) Uid.GETEUID.invokeExact();
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    public static int getppid() {
        try {
            return (int) Ppid.GETPPID.invokeExact();
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /**
     * Sends {@code sig} (0 only probes) to {@code pid}, which may be negative for a process group.
     *
     * @return true if sent, false if there is no such process (ESRCH)
     * @throws ErrnoException for anything else, e.g. EPERM or EINVAL
     */
    public static boolean kill(int pid, int sig) {
        MemorySegment st = Native.state();
        int r;
        try {
            r = (int) Kill.KILL.invokeExact(st, pid, sig);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
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
        try {
            return (int) Umask.UMASK.invokeExact(mask);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
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
        int r;
        try {
            r = (int) Prctl.PRCTL.invokeExact(st, option, arg);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        if (r < 0) {
            throw new ErrnoException(call, Native.errno(st));
        }
    }
}
