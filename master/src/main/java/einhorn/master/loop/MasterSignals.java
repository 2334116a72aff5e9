package einhorn.master.loop;

import einhorn.posix.Exec;
import einhorn.posix.Signal;
import einhorn.posix.Signals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes every signal of SPEC §10 reach the loop through one signalfd (DESIGN fact 4). HotSpot
 * claims some signals and a parent may leave others ignored, so on first start the master sets
 * them to default, blocks them, and re-executes itself in place: every thread of the new JVM
 * inherits the blocked mask, and the signalfd is the only way they arrive.
 */
public final class MasterSignals {
    /** Marks the re-executed image; never reaches workers (WorkerEnv drops the __EINHORN_ prefix). */
    public static final String MARKER = "__EINHORN_SIGNALS_BLOCKED";

    static final int[] HANDLED = {
            Signal.HUP.number(), Signal.INT.number(), Signal.QUIT.number(), Signal.USR1.number(),
            Signal.USR2.number(), Signal.ALRM.number(), Signal.TERM.number(), Signal.CHLD.number(),
            Signal.WINCH.number()};

    private MasterSignals() {}

    /**
     * True when this image already runs with the signals blocked: after our own re-exec (marker),
     * or after a master reload, whose exec keeps the loop thread's mask.
     */
    public static boolean blockedImage(Map<String, String> env) {
        if (env.containsKey(MARKER)) {
            return true;
        }
        long mask = Signals.blockedMaskOfThisThread();
        for (int s : HANDLED) {
            if (s != Signal.QUIT.number() && (mask & (1L << (s - 1))) == 0) {
                return false;
            }
        }
        return true;
    }

    /** Blocks the master's signals and execs this same JVM command line again; returns only by throwing. */
    public static void reexecBlocked() throws IOException {
        Signals.block(HANDLED);
        Signals.setDefault(HANDLED);
        List<String> argv = nulSeparated(Path.of("/proc/self/cmdline"));
        List<String> env = new ArrayList<>(nulSeparated(Path.of("/proc/self/environ")));
        env.add(MARKER + "=1");
        Exec.execve("/proc/self/exe", argv, env);
    }

    /**
     * The signalfd the loop reads; call only in the blocked image. Dispositions are reset first:
     * a signal the parent left ignored (nohup) would otherwise be discarded, blocked or not.
     */
    public static int open() {
        Signals.setDefault(HANDLED);
        return Signals.signalfd(HANDLED);
    }

    private static List<String> nulSeparated(Path p) throws IOException {
        String all = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length(); i++) {
            if (all.charAt(i) == '\0') {
                out.add(all.substring(start, i));
                start = i + 1;
            }
        }
        if (start < all.length()) {
            out.add(all.substring(start));
        }
        return out;
    }
}
