package einhorn.master.reload;

import einhorn.master.Log;
import einhorn.master.Subprocess;
import einhorn.posix.ErrnoException;
import einhorn.posix.Exec;
import einhorn.posix.ExitStatus;
import einhorn.posix.Io;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The master reload in place (SPEC §9.1–§9.3): probe the next image with `--upgrade-check`, then
 * exec it with the state in a memfd and only our sockets left open. The pid never changes.
 */
public final class Reexec {
    private static final int PROBE_TIMEOUT_MS = 60_000;
    /** Tells `--upgrade-check` which inherited fd must be open. */
    /** The probe's exit status when the inherited fd did not arrive. */
    public static final int PROBE_LOST_FDS = 3;
    public static final String PROBE_FD_VAR = "__EINHORN_PROBE_FD";

    private final Log log;
    private final List<String> words;
    private final List<String> cmd;
    private final List<String> env;
    private final String pathVar;
    private final boolean onPrimordialThread;

    /** @param words the --reexec-as words, or the launcher's absolute path */
    public Reexec(Log log, List<String> words, List<String> cmd, Map<String, String> reloadEnv,
                  boolean onPrimordialThread) {
        this.onPrimordialThread = onPrimordialThread;
        this.log = log;
        this.words = words;
        this.cmd = cmd;
        this.env = new ArrayList<>();
        reloadEnv.forEach((k, v) -> env.add(k + "=" + v));
        this.pathVar = reloadEnv.get("PATH");
    }

    /** Runs the probe and waits for it (the loop waits too: events queue in the kernel). Null if it passed. */
    public String probe() {
        List<String> argv = new ArrayList<>(words);
        argv.add("--upgrade-check");
        argv.add("--");
        argv.addAll(cmd);
        // The probe inherits one extra fd, as fd 3, and checks it arrived: a wrapper (--reexec-as)
        // that closes inherited descriptors would lose the listeners in the exec, so it fails here.
        // It must also answer on that fd, so a command that merely exits 0 (--reexec-as=/bin/true)
        // is not mistaken for a working einhorn.
        int[] witness = einhorn.posix.Sockets.socketPair();
        List<String> probeEnv = new ArrayList<>(env);
        probeEnv.add(PROBE_FD_VAR + "=3:" + fdTarget(witness[1]));
        ExitStatus st;
        String answer;
        try {
            st = Subprocess.run(program(), argv, probeEnv, PROBE_TIMEOUT_MS, new int[] {witness[1]});
            Io.close(witness[1]);
            witness[1] = -1;
            answer = readAnswer(witness[0]);
        } catch (ErrnoException | IllegalArgumentException e) {
            return "cannot run " + String.join(" ", argv) + ": " + e.getMessage();
        } finally {
            Io.close(witness[0]);
            if (witness[1] >= 0) {
                Io.close(witness[1]);
            }
        }
        if (st == null) {
            return "the probe " + String.join(" ", argv) + " did not finish within " + PROBE_TIMEOUT_MS / 1000 + "s";
        }
        if (st.exited() && st.exitCode() == 0) {
            return answer.startsWith(PROBE_ANSWER) ? null
                    : String.join(" ", argv) + " exited 0 but did not answer as einhorn --upgrade-check";
        }
        if (st.exited() && st.exitCode() == PROBE_LOST_FDS) {
            return "the re-exec did not pass the inherited descriptors (" + String.join(" ", argv) + ")";
        }
        return "the probe " + String.join(" ", argv) + " failed (" + st.describe() + ")";
    }

    /**
     * Execs the next image; returns only on failure, with the reason. {@code keep} are the fds
     * that must survive (listeners, command server, connections); everything else is closed.
     */
    public String exec(byte[] state, List<Integer> keep) {
        int memfd;
        try {
            memfd = Exec.memfd("einhorn-state");
            writeAll(memfd, state);
        } catch (ErrnoException e) {
            return "cannot write the hand-over state: " + e.getMessage();
        }
        List<String> argv = new ArrayList<>(words);
        argv.add("--with-state-fd");
        argv.add(Integer.toString(memfd));
        argv.add("--");
        argv.addAll(cmd);
        try {
            Exec.closeRangeCloexec(3);
            for (int fd : keep) {
                Io.setCloexec(fd, false);
            }
            Io.setCloexec(memfd, false);
            log.info("Re-executing master: " + String.join(" ", argv));
            String program = program();
            if (onPrimordialThread) {
                // The thread that spawned the -k workers must be the one that survives the exec.
                einhorn.posix.PrimordialThread.call(() -> {
                    Exec.execve(program, argv, env);
                    return null;
                });
            } else {
                Exec.execve(program, argv, env);
            }
            throw new IllegalStateException("execve returned");
        } catch (RuntimeException e) {
            for (int fd : keep) {
                Io.setCloexec(fd, true);
            }
            Io.close(memfd);
            return e.getMessage();
        }
    }

    /** What a passing `--upgrade-check` writes to the witness fd. */
    public static final String PROBE_ANSWER = "einhorn-upgrade-check-ok";

    private static String readAnswer(int fd) {
        Io.setNonBlocking(fd, true);
        byte[] buf = new byte[256];
        int n = Io.read(fd, buf, 0, buf.length);
        return n > 0 ? new String(buf, 0, n, java.nio.charset.StandardCharsets.US_ASCII) : "";
    }

    /** What /proc/self/fd/FD points at, e.g. "socket:[1234]": the identity the probe compares. */
    public static String fdTarget(int fd) {
        try {
            return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + fd)).toString();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static void writeAll(int fd, byte[] data) {
        int off = 0;
        while (off < data.length) {
            int n = Io.write(fd, data, off, data.length - off);
            if (n <= 0) {
                throw new ErrnoException("write", ErrnoException.EAGAIN);
            }
            off += n;
        }
    }

    /** words[0] as a path: kept if it has a '/', else looked up in the reload environment's PATH. */
    private String program() {
        String w = words.getFirst();
        String found = w.contains("/") ? null : einhorn.master.cli.Cli.lookup(w, pathVar);
        return found != null ? found : w;
    }
}
