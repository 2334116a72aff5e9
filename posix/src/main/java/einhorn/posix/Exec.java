package einhorn.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/** Replacing the running JVM in place (re-exec with -Xrs, master reload). */
public final class Exec {
    private static final int CLOSE_RANGE_CLOEXEC = 1 << 2;

    private Exec() {}

    private static final Native.Fn EXECVE = Native.fn("execve");
    private static final Native.Fn MEMFD_CREATE = Native.fn("memfd_create");
    private static final Native.Fn CLOSE_RANGE = Native.fn("close_range");

    /**
     * Replaces this process image. No shutdown hooks or finalisers run and buffered output is
     * lost: flush first. Every fd without CLOEXEC survives, see {@link #closeRangeCloexec}.
     *
     * @throws ErrnoException ("execve " + path, ...) the only way this returns
     */
    public static void execve(String path, List<String> argv, List<String> env) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = Native.state();
            int r = (int) EXECVE.call(st, arena.allocateFrom(path).address(),
                    Native.stringArray(arena, argv).address(), Native.stringArray(arena, env).address());
            throw new ErrnoException("execve " + path, r < 0 ? Native.errno(st) : 0);
        }
    }

    /** Marks every fd from {@code fromFd} up close-on-exec, without closing any. */
    public static void closeRangeCloexec(int fromFd) {
        MemorySegment st = Native.state();
        // close_range takes unsigned ints: ~0U is "every fd up".
        int r = (int) CLOSE_RANGE.call(st, fromFd, 0xffff_ffffL, CLOSE_RANGE_CLOEXEC);
        if (r < 0) {
            throw new ErrnoException("close_range", Native.errno(st));
        }
    }

    /**
     * An anonymous in-memory file (memfd_create with MFD_CLOEXEC), for handing state across an
     * exec: clear CLOEXEC on it just before the exec that should keep it.
     */
    public static int memfd(String name) {
        MemorySegment st = Native.state();
        int r;
        try (Arena arena = Arena.ofConfined()) {
            r = (int) MEMFD_CREATE.call(st, arena.allocateFrom(name).address(), 1 /* MFD_CLOEXEC */);
        }
        if (r < 0) {
            throw new ErrnoException("memfd_create", Native.errno(st));
        }
        return r;
    }
}
