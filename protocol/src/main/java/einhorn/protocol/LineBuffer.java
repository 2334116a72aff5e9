package einhorn.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One connection's unread input. Bytes go in as they arrive; complete lines come out as UTF-8 text
 * (malformed bytes become U+FFFD), still framed. Splitting on the byte {@code '\n'} is safe because
 * UTF-8 never uses that byte inside a multi-byte character.
 */
public final class LineBuffer {
    /** SPEC §5.3: the most a client may send without a newline. */
    public static final int MAX_LINE = 1_048_576;

    private final int maxLine;
    private byte[] buf = new byte[256];
    private int start;   // first unread byte
    private int end;     // one past the last buffered byte
    private int scanned; // bytes before this index (from start) are known to hold no '\n'
    private long run;    // bytes received since the last '\n', consumed or not
    private boolean overflowed;

    public LineBuffer(int maxLine) {
        if (maxLine < 1) throw new IllegalArgumentException("maxLine must be at least 1 (got " + maxLine + ")");
        this.maxLine = maxLine;
    }

    public void append(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) return;
        ensureRoom(len);
        System.arraycopy(b, off, buf, end, len);
        for (int i = end; i < end + len; i++) {
            if (buf[i] == '\n') {
                run = 0;
            } else if (++run > maxLine) {
                overflowed = true;
            }
        }
        end += len;
    }

    /** The next complete line without its {@code '\n'}, or null if no complete line is buffered. */
    public String nextLine() {
        for (int i = start + scanned; i < end; i++) {
            if (buf[i] == '\n') {
                String line = new String(buf, start, i - start, StandardCharsets.UTF_8);
                start = i + 1;
                scanned = 0;
                if (start == end) start = end = 0;
                return line;
            }
        }
        scanned = end - start;
        return null;
    }

    /**
     * True once more than {@code maxLine} bytes have arrived without a newline (counting bytes of the
     * current line already appended, whether or not earlier lines were taken). Sticky: the connection is
     * going to be closed. Lines completed before the overflow are still returned by {@link #nextLine()}.
     */
    public boolean overflowed() {
        return overflowed;
    }

    /** The bytes buffered but not yet returned as lines, for handing a connection over across a reload. */
    public byte[] unread() {
        return Arrays.copyOfRange(buf, start, end);
    }

    private void ensureRoom(int len) {
        if (end + len <= buf.length) return;
        int live = end - start;
        if (live + len <= buf.length && start > 0) {
            System.arraycopy(buf, start, buf, 0, live);
        } else {
            long want = Math.max((long) buf.length * 2, (long) live + len);
            if (want > Integer.MAX_VALUE - 8) throw new IllegalStateException("line buffer too large");
            byte[] bigger = new byte[(int) want];
            System.arraycopy(buf, start, bigger, 0, live);
            buf = bigger;
        }
        end = live;
        start = 0;
    }
}
