package einhorn.posix;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * Shared plumbing for the downcalls.
 *
 * <p><b>One shape for every call.</b> Linking a downcall costs about 4 ms per distinct
 * function shape (the JDK generates and loads a class for each), and the ~25 shapes the master
 * used were about 100 ms of its start-up; handles that share a shape cost about 0.05 ms more.
 * So every libc function here is called through {@link #CALL}: six 64-bit integer arguments
 * (unused ones are 0), a 64-bit result, errno captured, and declared variadic after the first
 * argument so that %al is set as variadic callees (fcntl, prctl) need. This is sound on the LP64
 * Linux ABIs this module supports (x86_64, and aarch64 where variadic arguments travel like named
 * ones): every integer and pointer argument travels in a 64-bit register, a callee taking an
 * {@code int} reads the low 32 bits, and an {@code int} result is read by narrowing the long
 * ({@code (int) fn.call(...)}), since the upper half of the register is undefined.
 * Pointers are passed as {@link MemorySegment#address()} of native segments, which the caller
 * keeps alive (an open arena) for the duration of the call.
 *
 * <p>Layouts here are the Linux x86_64 LP64 ones: int is 32 bits, long, size_t and pointers 64.
 */
final class Native {
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT;
    static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    static final AddressLayout PTR = ValueLayout.ADDRESS;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout STATE_LAYOUT = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET =
            STATE_LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    // errno must be captured into memory the calling thread owns until it has read it; one
    // auto-freed segment per thread avoids an allocation on every read/write/epoll_wait.
    private static final ThreadLocal<MemorySegment> STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(STATE_LAYOUT));

    private Native() {}

    /** (function address, capture state, six arguments) -> long; see the class comment. */
    private static final MethodHandle CALL = LINKER.downcallHandle(
            FunctionDescriptor.of(LONG, LONG, LONG, LONG, LONG, LONG, LONG),
            CAPTURE_ERRNO, Linker.Option.firstVariadicArg(1));

    /** The libc function {@code name}; its symbol is looked up on the first call. */
    static Fn fn(String name) {
        return new Fn(name);
    }

    /**
     * One libc function, called through {@link #CALL}. Each {@code call} takes the capture-state
     * segment from {@link #state()} (read errno from it afterwards) and up to six arguments;
     * the result is the raw 64-bit return register: narrow it to {@code int} for int functions.
     */
    static final class Fn {
        private final String name;
        private volatile MemorySegment address;

        private Fn(String name) {
            this.name = name;
        }

        long call(MemorySegment st) {
            return call(st, 0, 0, 0, 0, 0, 0);
        }

        long call(MemorySegment st, long a) {
            return call(st, a, 0, 0, 0, 0, 0);
        }

        long call(MemorySegment st, long a, long b) {
            return call(st, a, b, 0, 0, 0, 0);
        }

        long call(MemorySegment st, long a, long b, long c) {
            return call(st, a, b, c, 0, 0, 0);
        }

        long call(MemorySegment st, long a, long b, long c, long d) {
            return call(st, a, b, c, d, 0, 0);
        }

        long call(MemorySegment st, long a, long b, long c, long d, long e) {
            return call(st, a, b, c, d, e, 0);
        }

        long call(MemorySegment st, long a, long b, long c, long d, long e, long f) {
            MemorySegment target = address;
            if (target == null) {
                target = symbol(name);
                address = target;
            }
            try {
                return (long) CALL.invokeExact(target, st, a, b, c, d, e, f);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }
    }

    private static MemorySegment symbol(String name) {
        return LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
    }

    static MemorySegment state() {
        return STATE.get();
    }

    static int errno(MemorySegment state) {
        return state.get(INT, ERRNO_OFFSET);
    }

    /**
     * invokeExact declares Throwable. Our own exceptions and errors pass through unchanged; a
     * checked one cannot come from a downcall, so wrapping it only satisfies the compiler.
     */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException re) {
            return re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /** A NUL-terminated char*[] of UTF-8 strings, as argv and envp want. */
    static MemorySegment stringArray(Arena arena, List<String> strings) {
        MemorySegment array = arena.allocate(PTR, strings.size() + 1L);
        for (int i = 0; i < strings.size(); i++) {
            array.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(strings.get(i)));
        }
        array.setAtIndex(ValueLayout.ADDRESS, strings.size(), MemorySegment.NULL);
        return array;
    }
}
