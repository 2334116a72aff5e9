package einhorn.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/** Reads /proc the way the reliability cases do (pgrep -P, ps, ls /proc/PID/fd), and sends signals. */
final class Procs {
    private Procs() {}

    /** Fields of /proc/PID/stat after the command name: state, ppid, pgrp, ... (index 0 = state). */
    static Optional<String[]> stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return Optional.of(s.substring(s.lastIndexOf(')') + 2).trim().split(" "));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static boolean alive(long pid) {
        return stat(pid).map(f -> !f[0].equals("Z") && !f[0].equals("X")).orElse(false);
    }

    static boolean zombie(long pid) {
        return stat(pid).map(f -> f[0].equals("Z")).orElse(false);
    }

    static long ppid(long pid) {
        return stat(pid).map(f -> Long.parseLong(f[1])).orElse(-1L);
    }

    static long pgid(long pid) {
        return stat(pid).map(f -> Long.parseLong(f[2])).orElse(-1L);
    }

    /** Every process (zombies included) whose parent is {@code ppid}, in pid order. */
    static List<Long> children(long ppid) {
        List<Long> out = new ArrayList<>();
        for (long pid : allPids()) {
            if (stat(pid).map(f -> Long.parseLong(f[1]) == ppid).orElse(false)) out.add(pid);
        }
        return out;
    }

    /** {@code pgrep -P}: the live (non-zombie) children of {@code ppid}. */
    static List<Long> liveChildren(long ppid) {
        return children(ppid).stream().filter(Procs::alive).toList();
    }

    static List<Long> zombieChildren(long ppid) {
        return children(ppid).stream().filter(Procs::zombie).toList();
    }

    /** {@code pgrep -g}: every process in process group {@code pgid}. */
    static List<Long> inGroup(long pgid) {
        List<Long> out = new ArrayList<>();
        for (long pid : allPids()) {
            if (stat(pid).map(f -> Long.parseLong(f[2]) == pgid && !f[0].equals("Z")).orElse(false)) out.add(pid);
        }
        return out;
    }

    static TreeSet<Long> allPids() {
        TreeSet<Long> out = new TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.isEmpty() && n.chars().allMatch(Character::isDigit)) out.add(Long.parseLong(n));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** /proc/PID/status as a map (SigBlk, SigIgn, ...). */
    static Map<String, String> status(long pid) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                int i = line.indexOf(':');
                if (i > 0) out.put(line.substring(0, i), line.substring(i + 1).trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The open fd numbers of {@code pid}. */
    static TreeSet<Integer> fds(long pid) {
        TreeSet<Integer> out = new TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path p : ds) out.add(Integer.parseInt(p.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** What fd points at, e.g. {@code socket:[12345]}. */
    static String fdTarget(long pid, int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "fd", Integer.toString(fd))).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The octal {@code flags:} of /proc/PID/fdinfo/FD. */
    static int fdFlags(long pid, int fd) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "fdinfo", Integer.toString(fd)))) {
                if (line.startsWith("flags:")) return Integer.parseInt(line.substring(6).trim(), 8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no flags in fdinfo of " + pid + "/" + fd);
    }

    static final int O_NONBLOCK = 04000;

    /** /proc/PID/environ; empty if the process is gone or unreadable. */
    static Map<String, String> environ(long pid) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
            for (String kv : new String(raw, StandardCharsets.UTF_8).split("\0")) {
                int i = kv.indexOf('=');
                if (i > 0) out.put(kv.substring(0, i), kv.substring(i + 1));
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    static List<String> cmdline(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            String s = new String(raw, StandardCharsets.UTF_8);
            if (s.endsWith("\0")) s = s.substring(0, s.length() - 1);
            return List.of(s.split("\0", -1));
        } catch (IOException e) {
            return List.of();
        }
    }

    static String cwd(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")).toString();
        } catch (IOException e) {
            return "";
        }
    }

    /** {@code kill -SIG pid}; true if the signal was delivered. */
    static boolean kill(long pid, String sig) {
        return run("kill", "-s", sig, Long.toString(pid)) == 0;
    }

    /** {@code kill -SIG -pgid}. */
    static boolean killGroup(long pgid, String sig) {
        return run("kill", "-s", sig, "--", "-" + pgid) == 0;
    }

    static int run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Runs a command and returns its stdout (stderr merged), bounded by 10 s. */
    static String output(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            p.waitFor(10, TimeUnit.SECONDS);
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
