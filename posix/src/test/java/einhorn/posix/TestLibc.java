package einhorn.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** Calls the tests need to set up situations the production API deliberately does not offer. */
final class TestLibc {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;

    private TestLibc() {}

    private static MethodHandle fn(String name, FunctionDescriptor fd, Linker.Option... options) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd, options);
    }

    /** A pipe whose ends are CLOEXEC: {read, write}. */
    static int[] pipe() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(INT, 2);
            int r = (int) fn("pipe2", FunctionDescriptor.of(INT, ValueLayout.ADDRESS, INT))
                    .invokeExact(fds, 0x80000);
            if (r != 0) {
                throw new IllegalStateException("pipe2 failed");
            }
            return new int[] {fds.getAtIndex(INT, 0), fds.getAtIndex(INT, 1)};
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** signal(sig, SIG_IGN). */
    static void ignore(int sig) {
        try {
            long r = (long) fn("signal", FunctionDescriptor.of(LONG, INT, LONG))
                    .invokeExact(sig, 1L);
            if (r == -1) {
                throw new IllegalStateException("signal failed");
            }
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static int gettid() {
        try {
            return (int) fn("gettid", FunctionDescriptor.of(INT)).invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Directs sig at one thread of this process, so no other thread can take it. */
    static void tgkill(int tid, int sig) {
        try {
            int r = (int) fn("tgkill", FunctionDescriptor.of(INT, INT, INT, INT))
                    .invokeExact(Posix.getpid(), tid, sig);
            if (r != 0) {
                throw new IllegalStateException("tgkill failed");
            }
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** prctl(PR_SET_PDEATHSIG, sig) for the calling thread. */
    static void setPdeathsig(int sig) {
        try {
            int r = (int) fn("prctl", FunctionDescriptor.of(INT, INT, LONG),
                    Linker.Option.firstVariadicArg(1)).invokeExact(1, (long) sig);
            if (r != 0) {
                throw new IllegalStateException("prctl failed");
            }
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
