package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §5.2: the golden framing vectors, written byte for byte to the live master (and, for the
 * reference's reply, served to einhornsh), before and after a reload.
 */
class FramingGoldenTest {
    static final Duration T = Duration.ofSeconds(30);
    @TempDir
    Path dir;

    @Test
    void goldenRequestVectorsGetTheirExactRepliesBeforeAndAfterAReload() {
        Path mute = Workers.wrapper(dir, "mute", "ack=none");
        try (Master m = Master.start(dir, "-n", "1", "-m", "manual", "-s", "0.2", "--", mute.toString())) {
            await().atMost(T).until(() -> m.state().children().size() == 1);
            long pid = m.state().pids().getFirst();
            // the reference client's ack
            try (Ctl c = Ctl.connect(m.sock)) {
                c.sendRaw("---%0Acommand: worker:ack%0Apid: " + pid + "%0A\n");
                assertThat(c.closedByPeer(T)).as("closed without a reply").isTrue();
            }
            await().atMost(T).until(() -> m.state().settled(1));
            try (Ctl c = Ctl.connect(m.sock)) {
                // einhornsh's set_workers (multi-line YAML body with a block sequence)
                c.sendRaw("---%0Aid: 1%0Acommand: set_workers%0Aargs:%0A- '3'%0A\n");
                assertThat(c.readRawLine(T))
                        .isEqualTo("{\"message\":\"Altering worker count, 1 -> 3. Will spin up additional workers.\",\"request_id\":1}");
                // ehlo without $USER
                c.sendRaw("---%0Acommand: ehlo%0Auser:%0A\n");
                assertThat(c.readRawLine(T)).isEqualTo("{\"message\":\"Welcome, ! You are speaking to Einhorn Master Process "
                        + m.pid() + ".\\nThis is Einhorn " + Env.version() + ".\\n\"}");
                // the percent vector: a mapping without a command
                c.sendRaw("---%0A:foo:%0A- \"%25bar\"%0A- \"%25baz\"%0A\n");
                assertThat(c.readRawLine(T)).isEqualTo(
                        "{\"message\":\"No \\\"command\\\" parameter provided; not sure what you want me to do.\",\"error\":true}");
                // % <-> %25 and newline <-> %0A, decoded in a single pass: %250A is a literal "%0A"
                c.sendRaw("---%0Aid: 2%0Acommand: ehlo%0Auser: \"100%25 %250A\"%0A\n");
                String raw = c.readRawLine(T);
                assertThat(raw).startsWith("{\"message\":\"Welcome, 100%25 %250A! You are speaking");
                assertThat(Ctl.decode(raw)).startsWith("{\"message\":\"Welcome, 100% %0A! You are speaking");
                // a literal block: the decoded newlines are part of the value
                c.sendRaw("---%0Aid: 3%0Acommand: ehlo%0Auser: |%0A  a%0A  b%0A\n");
                assertThat(c.readRawLine(T)).startsWith("{\"message\":\"Welcome, a\\nb\\n! You are speaking").endsWith(",\"request_id\":3}");
                // several requests in one write: several replies, in order
                c.sendRaw("{\"id\":4,\"command\":\"louder\"}\n---%0Aid: 5%0Acommand: quieter%0A\n");
                assertThat(c.readRawLine(T)).isEqualTo("{\"message\":\"Verbosity set to 0\",\"request_id\":4}");
                assertThat(c.readRawLine(T)).isEqualTo("{\"message\":\"Verbosity set to 1\",\"request_id\":5}");

                // the same connection across a reload
                c.sendRaw("---%0Aid: 6%0Acommand: reload%0A\n");
                assertThat(c.readRawLine(T)).isEqualTo("{\"message\":\"Reloading, as commanded\",\"request_id\":6,\"wait\":true}");
                assertThat(c.readRawLine(T)).isEqualTo("{\"message\":\"Reload done (generation 1)\",\"request_id\":6}");
                c.sendRaw("---%0Aid: 7%0Acommand: set_workers%0Aargs:%0A- '2'%0A\n");
                assertThat(c.readRawLine(T))
                        .isEqualTo("{\"message\":\"Altering worker count, 3 -> 2. Will gracefully terminate workers.\",\"request_id\":7}");
                c.sendRaw("---%0Aid: 8%0Acommand: ehlo%0Auser: |-%0A  %25%0A  x%0A\n");
                assertThat(c.readRawLine(T)).startsWith("{\"message\":\"Welcome, %25\\nx! You are speaking").endsWith(",\"request_id\":8}");
            }
        }
    }

    @Test
    void einhornshReadsTheReferenceMastersYamlReply() throws Exception {
        Path sock = dir.resolve("fake.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            CompletableFuture<String> request = CompletableFuture.supplyAsync(() -> {
                try (SocketChannel c = server.accept()) {
                    BufferedReader r = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
                    String line = r.readLine();
                    OutputStream out = Channels.newOutputStream(c);
                    out.write("---%0Amessage: |%0A  a%0A  b%0Arequest_id: 1%0A\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    return line;
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, r -> Thread.ofPlatform().daemon().start(r));
            Shell.Result r = Shell.exec(sock, "state", T);
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).isEqualTo("a\nb\n");
            String sent = Ctl.decode(request.get(10, TimeUnit.SECONDS));
            assertThat(Reply.parse(sent).map()).containsEntry("id", 1).containsEntry("command", "state");
        }
    }
}
