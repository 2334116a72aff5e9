package einhorn.posix;

import static einhorn.posix.Native.INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Non-blocking reaping of child processes. */
public final class Processes {
    private static final int WNOHANG = 1;

    private Processes() {}

    private static final Native.Fn PIDFD_OPEN = Native.fn("pidfd_open");
    private static final Native.Fn WAITPID = Native.fn("waitpid");

    /**
     * Reaps one child that has terminated, if any. Call in a loop until null: SIGCHLDs coalesce.
     *
     * @return the child's status, or null if none has terminated or there are no children
     */
    public static ExitStatus waitAny() {
        try {
            return waitpid(-1);
        } catch (ErrnoException e) {
            if (e.errno() == ErrnoException.ECHILD) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Reaps {@code pid} if it has terminated.
     *
     * @return its status, or null if it is still running
     * @throws ErrnoException ECHILD if it is not (or no longer) our child
     */
    public static ExitStatus waitPid(int pid) {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be positive: " + pid);
        }
        return waitpid(pid);
    }

    private static ExitStatus waitpid(int pid) {
        MemorySegment st = Native.state();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(INT);
            while (true) {
                int r = (int) WAITPID.call(st, pid, status.address(), WNOHANG);
                if (r > 0) {
                    return new ExitStatus(r, status.get(INT, 0));
                }
                if (r == 0) {
                    return null;
                }
                int errno = Native.errno(st);
                if (errno != ErrnoException.EINTR) {
                    throw new ErrnoException("waitpid", errno);
                }
            }
        }
    }

    /** A pidfd for our child {@code pid} (CLOEXEC): readable in epoll once the child has exited. */
    public static int pidfdOpen(int pid) {
        MemorySegment st = Native.state();
        int r = (int) PIDFD_OPEN.call(st, pid, 0);
        if (r < 0) {
            throw new ErrnoException("pidfd_open", Native.errno(st));
        }
        return r;
    }
}
