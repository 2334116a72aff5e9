package einhorn.posix;

import static einhorn.posix.Native.INT;
import static einhorn.posix.Native.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

/** Replacing the running JVM in place (re-exec with -Xrs, master reload). */
public final class Exec {
    private static final int CLOSE_RANGE_CLOEXEC = 1 << 2;

    private Exec() {}

    private static final class H {
        static final MethodHandle EXECVE =
                Native.withErrno("execve", FunctionDescriptor.of(INT, PTR, PTR, PTR));
    }

    private static final class Memfd {
        static final MethodHandle MEMFD_CREATE =
                Native.withErrno("memfd_create", FunctionDescriptor.of(INT, PTR, INT));
    }

    private static final class Range {
        static final MethodHandle CLOSE_RANGE =
                Native.withErrno("close_range", FunctionDescriptor.of(INT, INT, INT, INT));
    }

    /**
     * Replaces this process image. No shutdown hooks or finalisers run and buffered output is
     * lost: flush first. Every fd without CLOEXEC survives, see {@link #closeRangeCloexec}.
     *
     * @throws ErrnoException ("execve " + path, ...) the only way this returns
     */
    public static void execve(String path, List<String> argv, List<String> env) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = Native.state();
            int r = (int) H.EXECVE.invokeExact(st, arena.allocateFrom(path),
                    Native.stringArray(arena, argv), Native.stringArray(arena, env));
            throw new ErrnoException("execve " + path, r < 0 ? Native.errno(st) : 0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Marks every fd from {@code fromFd} up close-on-exec, without closing any. */
    public static void closeRangeCloexec(int fromFd) {
        MemorySegment st = Native.state();
        int r;
        try {
            r = (int) Range.CLOSE_RANGE.invokeExact(st, fromFd, -1, CLOSE_RANGE_CLOEXEC);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
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
            r = (int) Memfd.MEMFD_CREATE.invokeExact(st, arena.allocateFrom(name), 1 /* MFD_CLOEXEC */);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
        if (r < 0) {
            throw new ErrnoException("memfd_create", Native.errno(st));
        }
        return r;
    }
}
