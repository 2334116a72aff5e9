package einhorn.shell;

import static java.nio.charset.StandardCharsets.UTF_8;

import einhorn.protocol.Framing;
import einhorn.protocol.LineBuffer;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * A command socket that serves one connection: it records each request body (unframed) and answers with
 * the raw lines its script gives for that request. A script answer of null, or the line {@link #CLOSE},
 * closes the connection.
 */
final class FakeMaster implements AutoCloseable {
    static final String CLOSE = "<close>";

    final Path path;
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final ServerSocketChannel server;
    private final Thread thread;

    FakeMaster(Path path, Function<String, List<String>> script) throws IOException {
        this.path = path;
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        thread = Thread.ofPlatform().daemon().name("fake-master").start(() -> serve(script));
    }

    /** Answers every request with one final JSON reply carrying its id. */
    static Function<String, List<String>> echoing(String message) {
        return body -> List.of("{\"message\":\"" + message + "\"}\n");
    }

    private void serve(Function<String, List<String>> script) {
        try (SocketChannel client = server.accept()) {
            LineBuffer in = new LineBuffer(LineBuffer.MAX_LINE);
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (client.read(buf.clear()) >= 0) {
                in.append(buf.array(), 0, buf.position());
                for (String line; (line = in.nextLine()) != null; ) {
                    String body = Framing.decode(line);
                    requests.add(body);
                    List<String> answer = script.apply(body);
                    if (answer == null) return;
                    for (String reply : answer) {
                        if (reply.equals(CLOSE)) return;
                        client.write(ByteBuffer.wrap(reply.getBytes(UTF_8)));
                    }
                }
            }
        } catch (IOException e) {
            // the test sees the effect on the client
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
        thread.join(5_000);
    }
}
