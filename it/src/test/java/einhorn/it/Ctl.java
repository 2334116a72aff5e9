package einhorn.it;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A raw command-socket client speaking the framed protocol of SPEC §5.2 by itself (it does not use
 * the product's own codec, so it checks the wire format rather than trusting it).
 */
final class Ctl implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final SocketChannel ch;
    private final Selector selector;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean eof;

    private Ctl(SocketChannel ch) throws IOException {
        this.ch = ch;
        ch.configureBlocking(false);
        selector = Selector.open();
        ch.register(selector, SelectionKey.OP_READ);
    }

    static Ctl connect(Path sock) {
        try {
            return new Ctl(SocketChannel.open(UnixDomainSocketAddress.of(sock)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + sock, e);
        }
    }

    /** One request, one final reply: connects, sends the JSON body, reads to the reply without wait. */
    static Reply request(Path sock, String body) {
        try (Ctl c = connect(sock)) {
            c.send(body);
            List<Reply> all = c.readUntilFinal(TIMEOUT);
            return all.getLast();
        }
    }

    static String json(Object value) {
        try {
            return JSON.std.asString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String encode(String body) {
        return body.replace("%", "%25").replace("\n", "%0A") + "\n";
    }

    static String decode(String line) {
        StringBuilder out = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); ) {
            if (line.startsWith("%25", i)) {
                out.append('%');
                i += 3;
            } else if (line.startsWith("%0A", i)) {
                out.append('\n');
                i += 3;
            } else {
                out.append(line.charAt(i++));
            }
        }
        return out.toString();
    }

    /** Sends {@code body} framed (percent-escaped, newline-terminated). */
    Ctl send(String body) {
        return sendRaw(encode(body).getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a map as one JSON request. */
    Ctl send(Map<String, ?> request) {
        return send(json(request));
    }

    Ctl sendRaw(String text) {
        return sendRaw(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes all of {@code bytes}, waiting while the socket is full; false if the master closed it. */
    Ctl sendRaw(byte[] bytes) {
        trySendRaw(bytes, TIMEOUT);
        return this;
    }

    boolean trySendRaw(byte[] bytes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        try (Selector ws = Selector.open()) {
            SocketChannel w = ch;
            while (buf.hasRemaining()) {
                if (w.write(buf) == 0) {
                    // the selector above is registered for reads only; poll politely for space
                    if (System.nanoTime() > deadline) throw new AssertionError("write to command socket timed out");
                    drainAvailable();
                    ws.select(5);
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads what is available now into the pending buffer, so the master never blocks on us. */
    private void drainAvailable() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(65536);
        int n;
        while ((n = ch.read(b)) > 0) {
            pending.write(b.array(), 0, n);
            b.clear();
        }
        if (n < 0) eof = true;
    }

    void shutdownOutput() {
        try {
            ch.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next line, decoded, or null at EOF. Fails after {@code timeout}. */
    String readLine(Duration timeout) {
        String raw = readRawLine(timeout);
        return raw == null ? null : decode(raw);
    }

    /** The next line as it was on the wire (without its newline, not decoded), or null at EOF. */
    String readRawLine(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            {
                byte[] have = pending.toByteArray();
                for (int i = 0; i < have.length; i++) {
                    if (have[i] == '\n') {
                        String line = new String(have, 0, i, StandardCharsets.UTF_8);
                        pending.reset();
                        pending.write(have, i + 1, have.length - i - 1);
                        return line;
                    }
                }
                if (eof) return null;
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new AssertionError("no reply line within " + timeout + " (partial: " + pending + ")");
                try {
                    selector.select(Math.max(1, left / 1_000_000));
                    selector.selectedKeys().clear();
                    drainAvailable();
                } catch (IOException e) {
                    eof = true; // e.g. ECONNRESET after the last reply: still hand out what was read
                }
            }
        }
    }

    Reply readReply(Duration timeout) {
        String line = readLine(timeout);
        if (line == null) throw new AssertionError("connection closed before a reply");
        return Reply.parse(line);
    }

    Reply readReply() {
        return readReply(TIMEOUT);
    }

    /** Replies up to and including the first without {@code wait}. */
    List<Reply> readUntilFinal(Duration timeout) {
        List<Reply> out = new ArrayList<>();
        while (true) {
            Reply r = readReply(timeout);
            out.add(r);
            if (!r.isWait()) return out;
        }
    }

    /** True if the master closes the connection (EOF, nothing more to read) within {@code timeout}. */
    boolean closedByPeer(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (readLine(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()))) == null) return true;
            } catch (AssertionError timedOut) {
                return false;
            }
        }
        return false;
    }

    @Override
    public void close() {
        try {
            selector.close();
            ch.close();
        } catch (IOException e) {
            // closing; nothing to do
        }
    }
}
