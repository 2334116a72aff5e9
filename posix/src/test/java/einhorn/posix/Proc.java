package einhorn.posix;

import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Test helpers: reading /proc, waiting with a deadline, running short-lived children. */
final class Proc {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final String SH = "/bin/sh";

    private Proc() {}

    static String sleepPath() {
        for (String p : List.of("/bin/sleep", "/usr/bin/sleep")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        throw new IllegalStateException("no sleep binary");
    }

    /** Polls until the condition holds, failing with {@code what} after the deadline. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Polls until supplier returns non-null. */
    static <T> T awaitValue(String what, Supplier<T> supplier) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            T v = supplier.get();
            if (v != null) {
                return v;
            }
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    static ExitStatus awaitExit(int pid) {
        return awaitValue("exit of " + pid, () -> Processes.waitPid(pid));
    }

    /** SIGKILLs and reaps a child that a test left running. */
    static void killAndReap(int pid) {
        Posix.kill(pid, Signal.KILL.number());
        awaitExit(pid);
    }

    /**
     * Waits until a descendant has vanished. Once its parent is dead it may have become ours
     * (if this JVM is a subreaper), and then it is reaped here so no later test sees it.
     */
    static void awaitGone(int pid) {
        String self = Integer.toString(Posix.getpid());
        await("process " + pid + " gone", () -> {
            String[] f;
            try {
                f = statFields(Integer.toString(pid));
            } catch (RuntimeException gone) {
                return true;
            }
            return f[1].equals(self) && Processes.waitPid(pid) != null;
        });
    }

    static Set<Integer> fdTable(String pid) {
        Set<Integer> fds = new TreeSet<>();
        try (var entries = Files.list(Path.of("/proc", pid, "fd"))) {
            entries.forEach(p -> fds.add(Integer.parseInt(p.getFileName().toString())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fds;
    }

    /** What /proc/PID/fd/N points to, e.g. "socket:[1234]"; null if that fd is not open. */
    static String fdTarget(String pid, int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", pid, "fd", Integer.toString(fd)))
                    .toString();
        } catch (IOException e) {
            return null;
        }
    }

    /** The open-file flags of one of our fds, as /proc/self/fdinfo shows them (octal). */
    static int fdFlags(int fd) {
        for (String line : lines("/proc/self/fdinfo/" + fd)) {
            if (line.startsWith("flags:")) {
                return Integer.parseInt(line.substring(6).trim(), 8);
            }
        }
        throw new IllegalStateException("no flags in fdinfo of " + fd);
    }

    /** A hex mask line of /proc/PID/status, e.g. SigBlk. */
    static long statusMask(String pid, String key) {
        return Long.parseUnsignedLong(statusField(pid, key), 16);
    }

    static String statusField(String pid, String key) {
        for (String line : lines("/proc/" + pid + "/status")) {
            if (line.startsWith(key + ":")) {
                return line.substring(key.length() + 1).trim();
            }
        }
        throw new IllegalStateException("no " + key + " in status of " + pid);
    }

    /** Fields of /proc/PID/stat after comm: index 0 is field 3 (state). */
    static String[] statFields(String pid) {
        String stat = readString("/proc/" + pid + "/stat");
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    }

    /** Pids of our children that are zombies right now. */
    static List<Integer> zombieChildren() {
        String self = Integer.toString(Posix.getpid());
        List<Integer> zombies = new ArrayList<>();
        try (var entries = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String[] f = statFields(name);
                    if (f[1].equals(self) && f[0].equals("Z")) {
                        zombies.add(Integer.parseInt(name));
                    }
                } catch (RuntimeException gone) {
                    // The process exited while we looked.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zombies;
    }

    static byte[] readBytes(String path) {
        try {
            return Files.readAllBytes(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String readString(String path) {
        return new String(readBytes(path), StandardCharsets.UTF_8);
    }

    static List<String> lines(String path) {
        return readString(path).lines().toList();
    }

    /** Reads a blocking fd to end of stream. */
    static String readAll(int fd) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = Io.read(fd, buf, 0, buf.length)) > 0) {
            out.write(buf, 0, n);
        }
        if (n < 0) {
            throw new IllegalStateException("fd " + fd + " is non-blocking");
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Runs {@code sh -c script} with a socket as its fd 3 and returns what it wrote there.
     * The script must not touch stdout: in surefire's fork that is the test channel.
     */
    static String runReporting(String script, String... args) {
        int[] pair = Sockets.socketPair();
        try {
            List<String> argv = new ArrayList<>(List.of("sh", "-c", script, "sh"));
            argv.addAll(List.of(args));
            int pid = Spawn.spawn(SH, argv, List.of("PATH=/usr/bin:/bin"), new int[] {pair[1]});
            Io.close(pair[1]);
            pair[1] = -1;
            String out = readAll(pair[0]);
            ExitStatus status = awaitExit(pid);
            if (!status.exited() || status.exitCode() != 0) {
                fail("script " + script + " ended with " + status.describe() + ", output " + out);
            }
            return out;
        } finally {
            Io.close(pair[0]);
            if (pair[1] >= 0) {
                Io.close(pair[1]);
            }
        }
    }

    static void closeAll(int... fds) {
        for (int fd : fds) {
            try {
                Io.close(fd);
            } catch (ErrnoException ignored) {
                // Already closed by the test.
            }
        }
    }
}
