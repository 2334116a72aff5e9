package einhorn.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A glibc sigset_t (1024 bits, 128 bytes; bit n-1 for signal n, little-endian words on x86_64),
 * filled in Java so that sigemptyset/sigaddset need no downcall handles of their own.
 */
final class SigSet {
    static final long SIZE = 128;

    private SigSet() {}

    static MemorySegment of(Arena arena, int... signals) {
        MemorySegment set = arena.allocate(SIZE, 8);
        for (int sig : signals) {
            if (sig < 1 || sig > 64) {
                throw new IllegalArgumentException("not a signal number: " + sig);
            }
            long word = set.get(Native.LONG, 0);
            set.set(Native.LONG, 0, word | bit(sig));
        }
        return set;
    }

    /** Signals 1..64, the whole range the kernel knows on x86_64. */
    static MemorySegment all(Arena arena) {
        MemorySegment set = arena.allocate(SIZE, 8);
        set.set(Native.LONG, 0, -1L);
        return set;
    }

    static long bit(int sig) {
        return 1L << (sig - 1);
    }

    static long firstWord(MemorySegment set) {
        return set.get(Native.LONG, 0);
    }
}
