package einhorn.master.control;

import einhorn.protocol.LineBuffer;
import einhorn.protocol.Reply;

import java.nio.charset.StandardCharsets;

/** One command-socket client (accepted, or the master end of a worker's -g pair). Loop thread only. */
final class Connection {
    final int fd;
    final LineBuffer in = new LineBuffer(LineBuffer.MAX_LINE);
    private byte[] out = new byte[0];
    private int outStart;
    private int outEnd;
    /** No more requests are read or handled (after worker:ack, an oversized line, or a failure). */
    boolean stopReading;
    boolean readEof;
    /** The request id of this connection's upgrade subscription, or null. */
    Object subscription;
    boolean subscribed;

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

    /** Done once nothing more will be read or sent: the master then closes it. */
    boolean finished() {
        return (readEof || stopReading) && !subscribed && !hasOutput();
    }
}
