package einhorn.master.control;

import einhorn.protocol.LineBuffer;
import einhorn.protocol.Reply;

import java.nio.charset.StandardCharsets;

/** One command-socket client (accepted, or the master end of a worker's -g pair). Loop thread only. */
final class Connection {
    final int fd;
    /** Accepted from the socket (not a worker's -g pair): counts against --max-connections. */
    boolean accepted;
    final LineBuffer in = new LineBuffer(LineBuffer.MAX_LINE);
    private byte[] out = new byte[0];
    private int outStart;
    private int outEnd;
    /** No more requests are read or handled (after worker:ack, an oversized line, or a failure). */
    boolean stopReading;
    boolean readEof;
    /** The request id of this connection's subscription, or null. */
    Object subscription;
    boolean subscribed;
    /** The epoll events this connection is registered for (kept by CommandServer). */
    int armed;
    /** What the subscription waits for: an upgrade's stream, or a reload's outcome. */
    String tag = UPGRADE;

    static final String UPGRADE = "upgrade";
    static final String RELOAD = "reload";

    Connection(int fd) {
        this.fd = fd;
    }

    void queue(Reply r) {
        byte[] line = r.toLine().getBytes(StandardCharsets.UTF_8);
        int pending = outEnd - outStart;
        if (out.length - outEnd < line.length) {
            byte[] bigger = new byte[Math.max(pending + line.length, out.length * 2)];
            System.arraycopy(out, outStart, bigger, 0, pending);
            out = bigger;
            outStart = 0;
            outEnd = pending;
        }
        System.arraycopy(line, 0, out, outEnd, line.length);
        outEnd += line.length;
    }

    boolean hasOutput() {
        return outEnd > outStart;
    }

    byte[] outBuf() { return out; }
    int outStart() { return outStart; }
    int outLength() { return outEnd - outStart; }

    void consumed(int n) {
        outStart += n;
        if (outStart == outEnd) {
            outStart = 0;
            outEnd = 0;
        }
    }

    java.util.Map<String, Object> toState() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("fd", fd);
        m.put("accepted", accepted);
        m.put("unread", java.util.Base64.getEncoder().encodeToString(in.unread()));
        m.put("unsent", java.util.Base64.getEncoder().encodeToString(
                java.util.Arrays.copyOfRange(out, outStart, outEnd)));
        m.put("stop_reading", stopReading);
        m.put("read_eof", readEof);
        m.put("subscribed", subscribed);
        m.put("subscription_tag", tag);
        m.put("subscription_id", subscription);
        return m;
    }

    static Connection fromState(java.util.Map<?, ?> m) {
        Connection c = new Connection(((Number) m.get("fd")).intValue());
        byte[] unread = java.util.Base64.getDecoder().decode((m.get("unread") instanceof String u ? u : ""));
        c.in.append(unread, 0, unread.length);
        c.out = java.util.Base64.getDecoder().decode((m.get("unsent") instanceof String u ? u : ""));
        c.outEnd = c.out.length;
        c.accepted = !Boolean.FALSE.equals(m.get("accepted"));
        c.stopReading = Boolean.TRUE.equals(m.get("stop_reading"));
        c.readEof = Boolean.TRUE.equals(m.get("read_eof"));
        c.subscribed = Boolean.TRUE.equals(m.get("subscribed"));
        c.tag = m.get("subscription_tag") instanceof String t ? t : UPGRADE;
        c.subscription = m.get("subscription_id");
        return c;
    }

    /** Done once nothing more will be read or sent: the master then closes it. */
    boolean finished() {
        return (readEof || stopReading) && !subscribed && !hasOutput();
    }
}
