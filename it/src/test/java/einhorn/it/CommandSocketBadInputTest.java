package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §5.3-§5.6: every malformed request gets exactly its documented error, and the master keeps
 * serving: after each test a fresh {@code state} works and the workers are the same processes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandSocketBadInputTest {
    static final Duration T = Duration.ofSeconds(15);
    Master m;
    List<Long> workers;

    @BeforeAll
    void start(@TempDir Path dir) {
        Workers.pythonWorker(dir);
        m = Master.start(dir, "-n", "2", "-m", "manual", "--", dir.resolve("w.py").toString());
        await().atMost(T).until(() -> m.state().settled(2));
        workers = m.state().pids();
    }

    @AfterEach
    void masterStillServesTheSameWorkers() {
        assertThat(m.alive()).isTrue();
        assertThat(m.state().pids()).containsExactlyInAnyOrderElementsOf(workers);
        assertThat(m.state().ackedCurrent()).hasSize(2);
    }

    @AfterAll
    void stop() {
        if (m != null) m.close();
    }

    private Reply raw(String line) {
        try (Ctl c = Ctl.connect(m.sock)) {
            c.sendRaw(line);
            return c.readReply();
        }
    }

    private static final String PARSE_ERROR = "{\"message\":\"Could not parse command\",\"error\":true}";

    @Test
    void junkBytesAreAnsweredWithCouldNotParse() {
        try (Ctl c = Ctl.connect(m.sock)) {
            c.sendRaw(new byte[] {0, (byte) 0xff, (byte) 0xfe, 'x', '{', '[', '\n'});
            assertThat(c.readReply().raw()).isEqualTo(PARSE_ERROR);
            c.send("{\"command\":\"ehlo\",\"user\":\"after-junk\"}");
            assertThat(c.readReply().message()).startsWith("Welcome, after-junk!");
        }
    }

    @Test
    void emptyLineAndNonMappingsAreAnsweredWithCouldNotParse() {
        assertThat(raw("\n").raw()).isEqualTo(PARSE_ERROR);
        assertThat(raw("[1, 2]\n").raw()).isEqualTo(PARSE_ERROR);
        assertThat(raw("just a string\n").raw()).isEqualTo(PARSE_ERROR);
        assertThat(raw("{\"id\":5,\n").raw()).isEqualTo(PARSE_ERROR);
    }

    @Test
    void rubyObjectTagIsRefused() {
        try (Ctl c = Ctl.connect(m.sock)) {
            c.send("--- !ruby/object:Foo\ncommand: state\nid: 3\n");
            assertThat(c.readReply().raw()).isEqualTo(PARSE_ERROR);
            c.send("--- !!map\ncommand: !ruby/sym state\n");
            assertThat(c.readReply().raw()).isEqualTo(PARSE_ERROR);
        }
    }

    @Test
    void aliasBombIsRefused() {
        StringBuilder y = new StringBuilder("---\na: &a [x, x, x, x, x, x, x, x, x, x]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'j'; c++) {
            y.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 10; i++) y.append(i == 0 ? "" : ", ").append('*').append(prev);
            y.append("]\n");
            prev = c;
        }
        y.append("command: state\n");
        Reply r = Ctl.request(m.sock, y.toString());
        assertThat(r.raw()).isEqualTo(PARSE_ERROR);
    }

    @Test
    void aLineOverOneMebibyteIsAnErrorAndClosesOnlyThatConnection() {
        try (Ctl bystander = Ctl.connect(m.sock); Ctl c = Ctl.connect(m.sock)) {
            byte[] big = new byte[2 * 1024 * 1024];
            Arrays.fill(big, (byte) 'a');
            c.trySendRaw(big, T); // the master may close before it has read it all
            Reply r = c.readReply(T);
            assertThat(r.raw()).isEqualTo("{\"message\":\"Line too long (more than 1048576 bytes); closing connection\",\"error\":true}");
            assertThat(c.closedByPeer(Duration.ofSeconds(5))).isTrue();
            bystander.send("{\"command\":\"ehlo\",\"user\":\"b\"}");
            assertThat(bystander.readReply().message()).startsWith("Welcome, b!");
        }
    }

    @Test
    void aRequestWithoutCommandIsAnswered() {
        String msg = "No \\\"command\\\" parameter provided; not sure what you want me to do.";
        assertThat(raw("{\"id\":1}\n").raw()).isEqualTo("{\"message\":\"" + msg + "\",\"request_id\":1,\"error\":true}");
        assertThat(raw("{\"command\":null}\n").raw()).isEqualTo("{\"message\":\"" + msg + "\",\"error\":true}");
        assertThat(raw("{\"id\":false,\"command\":null}\n").raw()).isEqualTo("{\"message\":\"" + msg + "\",\"error\":true}");
    }

    @Test
    void unknownCommandsListTheKnownOnes() {
        Reply r = raw("{\"id\":\"x1\",\"command\":\"x\"}\n");
        assertThat(r.isError()).isTrue();
        assertThat(r.requestId()).isEqualTo("x1");
        assertThat(r.message()).startsWith("Unrecognized command: \"x\"\n\n")
                .contains("upgrade_fleet: Upgrade all Einhorn workers a fleet at a time.")
                .endsWith("\n")
                .doesNotContain("worker:ack").doesNotContain("ehlo");
        assertThat(raw("{\"command\":42}\n").message()).startsWith("Unrecognized command: 42\n\n");
    }

    @Test
    void argsMustBeASequenceOfStrings() {
        assertThat(raw("{\"command\":\"signal\"}\n").raw()).isEqualTo("{\"message\":\"No args provided\",\"error\":true}");
        assertThat(raw("{\"command\":\"signal\",\"args\":\"USR1\"}\n").raw())
                .isEqualTo("{\"message\":\"Args must be an array\",\"error\":true}");
        assertThat(raw("{\"command\":\"signal\",\"args\":[3]}\n").message()).isEqualTo("Argument is a Integer, not a string: 3");
        assertThat(raw("{\"command\":\"signal\",\"args\":[1.5]}\n").message()).isEqualTo("Argument is a Float, not a string: 1.5");
        assertThat(raw("{\"command\":\"signal\",\"args\":[true]}\n").message()).isEqualTo("Argument is a TrueClass, not a string: true");
        assertThat(raw("{\"command\":\"signal\",\"args\":[false]}\n").message()).isEqualTo("Argument is a FalseClass, not a string: false");
        assertThat(raw("{\"command\":\"signal\",\"args\":[null]}\n").message()).isEqualTo("Argument is a NilClass, not a string: nil");
        assertThat(raw("{\"command\":\"signal\",\"args\":[{\"a\":1}]}\n").message()).isEqualTo("Argument is a Hash, not a string: {\"a\":1}");
        assertThat(raw("{\"command\":\"signal\",\"args\":[[1]]}\n").message()).isEqualTo("Argument is a Array, not a string: [1]");
        assertThat(raw("{\"command\":\"die\",\"args\":[7]}\n").isError()).isTrue();
        assertThat(m.stderrText()).doesNotContain("Exception");
    }

    @Test
    void severalRequestsInOneWriteGetRepliesInOrder() {
        try (Ctl c = Ctl.connect(m.sock)) {
            c.sendRaw("{\"id\":1,\"command\":\"ehlo\",\"user\":\"a\"}\n{\"id\":2,\"command\":\"bogus\"}\n"
                    + "{\"id\":3,\"command\":\"ehlo\",\"user\":\"c\"}\n");
            Reply a = c.readReply(), b = c.readReply(), d = c.readReply();
            assertThat(a.requestId()).isEqualTo(1);
            assertThat(b.requestId()).isEqualTo(2);
            assertThat(b.isError()).isTrue();
            assertThat(d.requestId()).isEqualTo(3);
            assertThat(d.message()).startsWith("Welcome, c!");
        }
    }

    @Test
    void yamlRequestsInTheReferenceFramingWork() {
        // golden vector: ehlo without $USER
        try (Ctl c = Ctl.connect(m.sock)) {
            c.sendRaw("---%0Acommand: ehlo%0Auser:%0A\n");
            assertThat(c.readReply().message()).startsWith("Welcome, ! You are speaking to Einhorn Master Process " + m.pid());
            c.sendRaw("---%0Aid: 1%0Acommand: set_workers%0Aargs:%0A- '2'%0A\n");
            Reply r = c.readReply();
            assertThat(r.raw()).isEqualTo("{\"message\":\"Altering worker count, 2 -> 2. Will spin up additional workers.\",\"request_id\":1}"
                    .replace("Altering worker count, 2 -> 2. Will spin up additional workers.", ""));
        }
    }

    @Test
    void aHalfClosedClientStillGetsItsReplies() {
        try (Ctl c = Ctl.connect(m.sock)) {
            c.send("{\"id\":1,\"command\":\"ehlo\",\"user\":\"h\"}");
            c.send("{\"id\":2,\"command\":\"state\"}");
            c.shutdownOutput();
            assertThat(c.readReply().requestId()).isEqualTo(1);
            assertThat(c.readReply().requestId()).isEqualTo(2);
            assertThat(c.closedByPeer(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void requestsAfterAnAckOnTheSameConnectionAreDropped() {
        try (Ctl c = Ctl.connect(m.sock)) {
            c.sendRaw("{\"command\":\"worker:ack\",\"pid\":1}\n{\"id\":9,\"command\":\"ehlo\",\"user\":\"z\"}\n");
            assertThat(c.closedByPeer(Duration.ofSeconds(5))).as("closed without any reply").isTrue();
        }
    }

    @Test
    void nonAsciiAndPercentRoundTrip() {
        try (Ctl c = Ctl.connect(m.sock)) {
            c.send("{\"command\":\"ehlo\",\"user\":\"%25 ü \\u2028 😀\"}");
            String line = c.readLine(T);
            assertThat(line.getBytes(StandardCharsets.UTF_8)).isNotEmpty();
            Reply r = Reply.parse(line);
            assertThat(r.message()).startsWith("Welcome, %25 ü \u2028 😀!");
            assertThat(r.raw()).contains("\\u2028").contains("ü").contains("😀").doesNotContain("\\ud83d");
        }
    }
}
