package einhorn.protocol;

import java.nio.file.Files;
import java.nio.file.Path;

/** The default socket, pid and lock paths of SPEC §12.1, shared by the master and einhornsh. */
public final class SocketPaths {
    private SocketPaths() {}

    /**
     * {@code DIR/einhorn.SUFFIX}, or {@code DIR/einhorn-NAME.SUFFIX} when {@code cmdName} is given, where DIR is
     * {@code $TMPDIR} if it names a writable directory, else {@code /tmp}.
     */
    public static String defaultPath(String cmdName, String suffix) {
        return defaultPath(cmdName, suffix, System.getenv("TMPDIR"));
    }

    static String defaultPath(String cmdName, String suffix, String tmpdir) {
        String dir = usable(tmpdir) ? tmpdir : "/tmp";
        String file = (cmdName == null ? "einhorn" : "einhorn-" + cmdName) + "." + suffix;
        return dir.endsWith("/") ? dir + file : dir + "/" + file;
    }

    private static boolean usable(String dir) {
        if (dir == null || dir.isEmpty()) return false;
        Path p = Path.of(dir);
        return Files.isDirectory(p) && Files.isWritable(p);
    }
}
