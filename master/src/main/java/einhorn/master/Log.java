package einhorn.master;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * The master's log (SPEC §14): `[MASTER PID] LEVEL: message` on stderr, one write per message.
 * Upgrade-tagged messages also go to upgrade subscribers at any verbosity.
 */
public final class Log {
    public enum Level { DEBUG, INFO, ERROR }

    private final int pid;
    private final FileOutputStream err = new FileOutputStream(FileDescriptor.err);
    private int verbosity;
    private BiConsumer<Level, String> upgradeSink = (l, m) -> {};

    public Log(int pid, int verbosity) {
        this.pid = pid;
        this.verbosity = verbosity;
    }

    public int verbosity() {
        return verbosity;
    }

    public void setVerbosity(int v) {
        verbosity = Math.max(0, Math.min(2, v));
    }

    /** Where upgrade-tagged messages are streamed (the command server's subscribers). */
    public void setUpgradeSink(BiConsumer<Level, String> sink) {
        upgradeSink = sink;
    }

    public void debug(String msg) { log(Level.DEBUG, msg, false); }
    public void info(String msg) { log(Level.INFO, msg, false); }
    public void error(String msg) { log(Level.ERROR, msg, false); }
    public void upgradeDebug(String msg) { log(Level.DEBUG, msg, true); }
    public void upgradeInfo(String msg) { log(Level.INFO, msg, true); }
    public void upgradeError(String msg) { log(Level.ERROR, msg, true); }

    private void log(Level level, String msg, boolean upgrade) {
        if (shown(level)) {
            StringBuilder out = new StringBuilder();
            String prefix = "[MASTER " + pid + "] " + level + ": ";
            for (String line : msg.split("\n", -1)) {
                out.append(prefix).append(line).append('\n');
            }
            try {
                err.write(out.toString().getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // stderr is gone (closed terminal); the master keeps serving.
            }
        }
        if (upgrade) {
            upgradeSink.accept(level, msg);
        }
    }

    private boolean shown(Level level) {
        return switch (level) {
            case DEBUG -> verbosity <= 0;
            case INFO -> verbosity <= 1;
            case ERROR -> true;
        };
    }
}
