package einhorn.posix;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Renames the running process for ps and pgrep, as Ruby's $0= does: the kernel shows the
 * argv area of the process's stack as /proc/PID/cmdline, so overwriting it changes ps's output.
 * The area cannot grow, so a title longer than the original command line is cut.
 */
public final class ProcTitle {
    private static final int COMM_MAX = 15;
    // Fields 48 and 49 of /proc/self/stat, counted from field 3 (the first after "comm").
    private static final int ARG_START = 48 - 3;
    private static final int ARG_END = 49 - 3;
    // The JVM's own command line is rarely beyond a few KiB; a much larger area means a misparse.
    private static final long MAX_AREA = 1 << 20;

    private ProcTitle() {}

    /**
     * Sets the title shown by {@code ps -o args=} and the 15-byte name shown by {@code pgrep}
     * and {@code ps -o comm=}.
     *
     * @return false if either could not be set (never throws)
     */
    public static boolean set(String title, String shortName) {
        boolean args = setArgs(title);
        boolean comm = setComm(shortName);
        return args && comm;
    }

    private static boolean setArgs(String title) {
        try {
            String stat =
                    Files.readString(Path.of("/proc/self/stat"), StandardCharsets.ISO_8859_1);
            // comm (field 2) may hold spaces and parentheses; it ends at the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            long start = Long.parseLong(fields[ARG_START]);
            long end = Long.parseLong(fields[ARG_END]);
            long len = end - start;
            if (start == 0 || len <= 0 || len > MAX_AREA) {
                return false;
            }
            MemorySegment area = MemorySegment.ofAddress(start).reinterpret(len);
            byte[] bytes = title.getBytes(StandardCharsets.UTF_8);
            // Keep the last byte NUL: the kernel then reports exactly this area as cmdline.
            int n = (int) Math.min(bytes.length, len - 1);
            MemorySegment.copy(bytes, 0, area, Native.BYTE, 0, n);
            area.asSlice(n).fill((byte) 0);
            return true;
        } catch (RuntimeException | IOException e) {
            return false;
        }
    }

    private static boolean setComm(String shortName) {
        byte[] bytes = shortName.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(bytes.length, COMM_MAX);
        // Cutting inside a multi-byte character would leave invalid UTF-8 for pgrep to print.
        while (n > 0 && n < bytes.length && (bytes[n] & 0xc0) == 0x80) {
            n--;
        }
        try {
            Files.write(Path.of("/proc/self/comm"), Arrays.copyOf(bytes, n),
                    StandardOpenOption.WRITE);
            return true;
        } catch (RuntimeException | IOException e) {
            return false;
        }
    }
}
