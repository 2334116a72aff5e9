package einhorn.posix;

import static einhorn.posix.Native.INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Starts workers with posix_spawn, which glibc implements with a vfork-style clone: the JVM is
 * never forked, and exec failures come back as the return value (glibc reaps that child itself).
 */
public final class Spawn {
    private static final short POSIX_SPAWN_SETPGROUP = 0x02;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;

    // glibc's posix_spawnattr_t on x86_64 (336 bytes): short __flags @0, pid_t __pgrp @4,
    // sigset_t __sd @8, sigset_t __ss @136, then scheduling fields and padding. It is filled in
    // directly (posix_spawnattr_init only zeroes it, the setters only store), saving five handles.
    private static final long ATTR_SIZE = 336;
    private static final long ATTR_FLAGS = 0;
    private static final long ATTR_PGRP = 4;
    private static final long ATTR_SIGDEFAULT = 8;
    private static final long ATTR_SIGMASK = 136;
    // posix_spawn_file_actions_t is 80 bytes on x86_64; its contents are glibc's business.
    private static final long FILE_ACTIONS_SIZE = 80;

    private Spawn() {}

    // These return an error number rather than setting errno.
    private static final Native.Fn SPAWN = Native.fn("posix_spawn");
    private static final Native.Fn FA_INIT = Native.fn("posix_spawn_file_actions_init");
    private static final Native.Fn FA_DESTROY = Native.fn("posix_spawn_file_actions_destroy");
    private static final Native.Fn FA_DUP2 = Native.fn("posix_spawn_file_actions_adddup2");
    private static final Native.Fn FA_CLOSEFROM = Native.fn("posix_spawn_file_actions_addclosefrom_np");

    /**
     * Spawns {@code path} (already resolved: no PATH search) in its own process group, with an
     * empty signal mask, every signal at its default action, stdin/out/err inherited, and
     * {@code fds[i]} as fd 3+i. Every other fd is closed in the child, CLOEXEC or not.
     *
     * @param env "KEY=VALUE" strings, the child's whole environment
     * @return the child's pid
     * @throws ErrnoException if the child could not be started, including exec failures
     *     such as ENOENT or EACCES (call "posix_spawn " + path)
     */
    public static int spawn(String path, List<String> argv, List<String> env, int[] fds) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must hold at least argv[0]");
        }
        for (int fd : fds) {
            if (fd < 0) {
                throw new IllegalArgumentException("negative fd " + fd);
            }
        }
        MemorySegment st = Native.state();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(FILE_ACTIONS_SIZE, 8);
            check("posix_spawn_file_actions_init", (int) FA_INIT.call(st, actions.address()));
            try {
                mapFds(st, actions, fds);
                MemorySegment attr = attributes(arena);
                MemorySegment pid = arena.allocate(INT);
                int err = (int) SPAWN.call(st, pid.address(), arena.allocateFrom(path).address(),
                        actions.address(), attr.address(), Native.stringArray(arena, argv).address(),
                        Native.stringArray(arena, env).address());
                check("posix_spawn " + path, err);
                return pid.get(INT, 0);
            } finally {
                FA_DESTROY.call(st, actions.address());
            }
        }
    }

    /**
     * A program, argv and environment turned into native memory once, for a master that starts
     * the same command many times: each {@link #spawn} then only rewrites one environment string
     * (the worker's index) and the fd map. Bring-up of hundreds of workers spent most of the
     * master's own CPU re-encoding the same argv and environment for every worker.
     *
     * <p>The buffers are reused, so one spawn at a time: the caller serialises (the master's loop
     * thread, or the primordial thread it hands a spawn to and waits for). Its memory lives as
     * long as the plan, which the master keeps for the life of its image.
     */
    public static final class Plan {
        private static final long SLOT_BYTES = 256;

        private final String path;
        private final MemorySegment pathC;
        private final MemorySegment argvC;
        private final MemorySegment envpC;
        private final MemorySegment attr;
        private final MemorySegment actions;
        private final MemorySegment pid;
        private final MemorySegment slotC;
        private final int slot;
        private final String slotPrefix;

        private Plan(String path, List<String> argv, List<String> env, String slotPrefix) {
            if (argv.isEmpty()) {
                throw new IllegalArgumentException("argv must hold at least argv[0]");
            }
            Arena arena = Arena.ofAuto();
            this.path = path;
            this.pathC = arena.allocateFrom(path);
            this.argvC = Native.stringArray(arena, argv);
            this.envpC = Native.stringArray(arena, env);
            this.attr = attributes(arena);
            this.actions = arena.allocate(FILE_ACTIONS_SIZE, 8);
            this.pid = arena.allocate(INT);
            this.slotC = arena.allocate(SLOT_BYTES);
            int found = -1;
            if (slotPrefix != null) {
                for (int i = 0; i < env.size(); i++) {
                    if (env.get(i).startsWith(slotPrefix)) {
                        found = i;
                        break;
                    }
                }
                if (found < 0) {
                    throw new IllegalArgumentException("the environment has no " + slotPrefix + " entry");
                }
            }
            this.slot = found;
            this.slotPrefix = slotPrefix;
        }

        /**
         * @param slotPrefix the start of the one environment entry {@link #spawn} may replace
         *     (e.g. {@code "EINHORN_CHILD_INDEX="}), or null
         */
        public static Plan of(String path, List<String> argv, List<String> env, String slotPrefix) {
            return new Plan(path, argv, env, slotPrefix);
        }

        /**
         * As {@link Spawn#spawn}, with the environment entry named by the plan's prefix set to
         * prefix + {@code slotValue} (ASCII), when {@code slotValue} is not null.
         */
        public int spawn(int[] fds, String slotValue) {
            for (int fd : fds) {
                if (fd < 0) {
                    throw new IllegalArgumentException("negative fd " + fd);
                }
            }
            if (slotValue != null) {
                if (slot < 0) {
                    throw new IllegalStateException("this plan has no replaceable environment entry");
                }
                int len = slotPrefix.length() + slotValue.length();
                if (len + 1 > SLOT_BYTES) {
                    throw new IllegalArgumentException("environment entry too long: " + slotValue);
                }
                for (int i = 0; i < len; i++) {
                    char c = i < slotPrefix.length() ? slotPrefix.charAt(i) : slotValue.charAt(i - slotPrefix.length());
                    if (c == 0 || c > 127) {
                        throw new IllegalArgumentException("environment entry must be ASCII without NUL: " + slotValue);
                    }
                    slotC.set(Native.BYTE, i, (byte) c);
                }
                slotC.set(Native.BYTE, len, (byte) 0);
                envpC.setAtIndex(Native.PTR, slot, slotC);
            }
            MemorySegment st = Native.state();
            check("posix_spawn_file_actions_init", (int) FA_INIT.call(st, actions.address()));
            try {
                mapFds(st, actions, fds);
                int err = (int) SPAWN.call(st, pid.address(), pathC.address(), actions.address(), attr.address(),
                        argvC.address(), envpC.address());
                check("posix_spawn " + path, err);
                return pid.get(INT, 0);
            } finally {
                FA_DESTROY.call(st, actions.address());
            }
        }
    }

    /**
     * Two passes so that no source is overwritten before it is copied: a source may itself be
     * one of the targets 3..3+n-1 (e.g. [4, 3]). The temporaries lie above every source and
     * every target; closefrom then drops them together with everything the JVM left open.
     */
    private static void mapFds(MemorySegment st, MemorySegment actions, int[] fds) {
        int n = fds.length;
        int base = 3 + n;
        for (int fd : fds) {
            base = Math.max(base, fd + 1);
        }
        for (int i = 0; i < n; i++) {
            check("posix_spawn_file_actions_adddup2",
                    (int) FA_DUP2.call(st, actions.address(), fds[i], base + i));
        }
        for (int i = 0; i < n; i++) {
            check("posix_spawn_file_actions_adddup2",
                    (int) FA_DUP2.call(st, actions.address(), base + i, 3 + i));
        }
        check("posix_spawn_file_actions_addclosefrom_np",
                (int) FA_CLOSEFROM.call(st, actions.address(), 3 + n));
    }

    private static MemorySegment attributes(Arena arena) {
        MemorySegment attr = arena.allocate(ATTR_SIZE, 8); // zeroed: what posix_spawnattr_init does
        attr.set(Native.SHORT, ATTR_FLAGS,
                (short) (POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK));
        attr.set(INT, ATTR_PGRP, 0);
        // HotSpot threads block some signals and a parent shell may have left INT/QUIT ignored;
        // neither must reach a worker. (glibc itself keeps its internal 32/33 as they are.)
        MemorySegment.copy(SigSet.all(arena), 0, attr, ATTR_SIGDEFAULT, SigSet.SIZE);
        // __ss stays zero: the empty mask.
        return attr;
    }

    private static void check(String call, int err) {
        if (err != 0) {
            throw new ErrnoException(call, err);
        }
    }
}
