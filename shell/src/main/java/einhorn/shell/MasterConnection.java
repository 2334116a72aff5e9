package einhorn.shell;

import static java.nio.charset.StandardCharsets.UTF_8;

import einhorn.protocol.Framing;
import einhorn.protocol.LineBuffer;
import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** The one connection einhornsh makes: framed lines out, framed lines back (SPEC §5.1, §5.2). */
final class MasterConnection implements Closeable {
    private final SocketChannel channel;
    private final LineBuffer input = new LineBuffer(Integer.MAX_VALUE - 64); // replies (a big state) may be long
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    private boolean eof;

    private MasterConnection(SocketChannel channel) {
        this.channel = channel;
    }

    /** Connects, or fails with an IOException whose message is the reason. */
    static MasterConnection open(String path) throws IOException {
        UnixDomainSocketAddress address;
        try {
            address = UnixDomainSocketAddress.of(path);
        } catch (RuntimeException e) {
            throw new IOException("invalid socket path (" + e.getMessage() + ")");
        }
        // A missing socket is the usual failure ("is it running?"); report it without opening a channel,
        // whose first use initialises NIO and a SecureRandom. notExists is false when the answer is unknown
        // (e.g. a directory we may not search), and connect then says what is wrong.
        if (Files.notExists(Path.of(path))) throw new IOException("No such file or directory");
        warmUpSecureRandom();
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(address);
            return new MasterConnection(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    /**
     * The JDK's UNIX-socket support creates a SecureRandom when first used (for names it never needs here),
     * and setting up the security providers is the largest single start-up cost of einhornsh. Doing that on
     * another thread while this one sets up NIO roughly halves the wait on a machine with two or more cores.
     */
    private static void warmUpSecureRandom() {
        Thread.ofPlatform().daemon().name("einhornsh-warm-up").start(new WarmUp()); // not a lambda: the first costs ms
    }

    private static final class WarmUp implements Runnable {
        @Override
        public void run() {
            try {
                java.security.SecureRandom.getInstance("NativePRNGNonBlocking");
            } catch (java.security.GeneralSecurityException | RuntimeException e) {
                // only a warm-up: the JDK's own call will deal with it
            }
        }
    }

    /** Sends one request body, framed. */
    void send(String body) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(Framing.encode(body).getBytes(UTF_8));
        while (out.hasRemaining()) channel.write(out);
    }

    /** The next reply body, unframed, or null once the master has closed the connection. */
    String receive() throws IOException {
        while (true) {
            String line = input.nextLine();
            if (line != null) return Framing.decode(line);
            if (eof) return null;
            readBuffer.clear();
            int n = channel.read(readBuffer);
            if (n < 0) {
                eof = true;
            } else {
                input.append(readBuffer.array(), 0, n);
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
