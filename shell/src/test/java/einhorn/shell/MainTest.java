package einhorn.shell;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import einhorn.protocol.SocketPaths;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §15: einhornsh end to end, against a fake master on a real UNIX socket. */
@Timeout(20)
class MainTest {
    @TempDir
    Path dir;

    private FakeMaster master;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void stopMaster() throws Exception {
        if (master != null) master.close();
    }

    @Test
    void eachCommandIsSentAsCompactJsonWithIncreasingIds() throws Exception {
        master = new FakeMaster(dir.resolve("s"), FakeMaster.echoing("ok"));
        int status = run("", "-d", socket(), "-e", "state; set_workers 3 ;config '{a: 1%}'");
        assertThat(status).isZero();
        assertThat(master.requests).containsExactly(
                "{\"id\":1,\"command\":\"state\",\"args\":[]}",
                "{\"id\":2,\"command\":\"set_workers\",\"args\":[\"3\"]}",
                "{\"id\":3,\"command\":\"config\",\"args\":[\"{a: 1%}\"]}");
        assertThat(stdout()).isEqualTo("ok\nok\nok\n");
        assertThat(stderr()).isEmpty();
    }

    @Test
    void waitRepliesArePrintedUntilTheFinalOne() throws Exception {
        master = new FakeMaster(dir.resolve("s"), body -> List.of(
                "{\"message\":\"Upgrading smoothly, as commanded\",\"request_id\":1,\"wait\":true}\n",
                "{\"message\":\"Starting upgrade from version 0...\\n\",\"request_id\":1,\"wait\":true}\n",
                "{\"message\":\"\",\"request_id\":1,\"wait\":true}\n",
                "{\"message\":\"Upgrade done\",\"request_id\":1}\n"));
        assertThat(run("", "-d", socket(), "-e", "upgrade")).isZero();
        assertThat(stdout()).isEqualTo("Upgrading smoothly, as commanded\nStarting upgrade from version 0...\n\nUpgrade done\n");
    }

    @Test
    void anErrorReplyIsPrintedAndMakesTheExitStatusOne() throws Exception {
        master = new FakeMaster(dir.resolve("s"), body -> body.contains("bogus")
                ? List.of("{\"message\":\"Unrecognized command: \\\"bogus\\\"\\n\",\"request_id\":1,\"error\":true}\n")
                : List.of("{\"message\":\"fine\",\"request_id\":2}\n"));
        assertThat(run("", "-d", socket(), "-e", "bogus; help")).isEqualTo(1);
        assertThat(stdout()).isEqualTo("Unrecognized command: \"bogus\"\nfine\n");
    }

    @Test
    void eofBeforeTheFinalReplyIsAnError() throws Exception {
        master = new FakeMaster(dir.resolve("s"), body -> body.contains("upgrade")
                ? List.of("{\"message\":\"Upgrading\",\"request_id\":1,\"wait\":true}\n", FakeMaster.CLOSE) : null);
        assertThat(run("", "-d", socket(), "-e", "upgrade")).isEqualTo(1);
        assertThat(stdout()).isEqualTo("Upgrading\n");
        assertThat(stderr()).isEqualTo("einhornsh: Einhorn master at " + socket() + " closed the connection before its final reply\n");
    }

    @Test
    void eofStopsTheRemainingCommands() throws Exception {
        master = new FakeMaster(dir.resolve("s"), body -> null);
        assertThat(run("", "-d", socket(), "-e", "state; inc; dec")).isEqualTo(1);
        assertThat(master.requests).hasSize(1);
        assertThat(stderr().lines()).hasSize(1);
    }

    @Test
    void aReplyThatIsNotAMappingIsReportedOnOneLine() throws Exception {
        master = new FakeMaster(dir.resolve("s"), body -> body.contains("\"id\":1")
                ? List.of("[\"not\", \"a mapping\"]\n") : List.of("{\"message\":\"next\"}\n"));
        assertThat(run("", "-d", socket(), "-e", "state; inc")).isEqualTo(1);
        assertThat(stderr()).startsWith("einhornsh: malformed reply from Einhorn master: ").hasLineCount(1);
        assertThat(stdout()).isEqualTo("next\n");
    }

    @Test
    void undecodableRepliesAreMalformedToo() throws Exception {
        master = new FakeMaster(dir.resolve("s"), body -> List.of("{message: [unclosed\n"));
        assertThat(run("", "-d", socket(), "-e", "state")).isEqualTo(1);
        assertThat(stderr()).startsWith("einhornsh: malformed reply").hasLineCount(1);
    }

    @Test
    void yamlRepliesFromTheReferenceMasterAreUnderstood() throws Exception {
        master = new FakeMaster(dir.resolve("s"), body -> List.of("---%0Amessage: |%0A  a%0A  b%0Arequest_id: 1%0A\n"));
        assertThat(run("", "-d", socket(), "-e", "state")).isZero();
        assertThat(stdout()).isEqualTo("a\nb\n");
    }

    @Test
    void framedRepliesAreUnframed() throws Exception {
        master = new FakeMaster(dir.resolve("s"), body -> List.of("{\"message\":\"100%25 done\\n\"}\n"));
        assertThat(run("", "-d", socket(), "-e", "state")).isZero();
        assertThat(stdout()).isEqualTo("100% done\n");
    }

    @Test
    void withoutDashECommandsComeFromStdinUntilQuit() throws Exception {
        master = new FakeMaster(dir.resolve("s"), FakeMaster.echoing("ok"));
        assertThat(run("state\n\ninc; dec\nquit\nhelp\n", "-d", socket())).isZero();
        assertThat(master.requests).extracting(r -> r.substring(0, r.indexOf(",\"args\"")))
                .containsExactly("{\"id\":1,\"command\":\"state\"", "{\"id\":2,\"command\":\"inc\"", "{\"id\":3,\"command\":\"dec\"");
        assertThat(stdout()).isEqualTo("ok\nok\nok\n");
        assertThat(stderr()).isEmpty(); // no greeting, no Goodbye
    }

    @Test
    void exitStopsProcessingInsideOneLine() throws Exception {
        master = new FakeMaster(dir.resolve("s"), FakeMaster.echoing("ok"));
        assertThat(run("", "-d", socket(), "-e", "state; exit; inc")).isZero();
        assertThat(master.requests).hasSize(1);
    }

    @Test
    void anUnbalancedQuoteIsAnErrorButProcessingContinues() throws Exception {
        master = new FakeMaster(dir.resolve("s"), FakeMaster.echoing("ok"));
        assertThat(run("", "-d", socket(), "-e", "signal 'USR2; state")).isEqualTo(1);
        assertThat(master.requests).containsExactly("{\"id\":1,\"command\":\"state\",\"args\":[]}");
        assertThat(stderr()).isEqualTo("einhornsh: could not split command \"signal 'USR2\": unmatched single quote\n");
        assertThat(stdout()).isEqualTo("ok\n");
    }

    @Test
    void aMissingSocketIsOneLineAndExitOne() {
        String path = dir.resolve("nothing.sock").toString();
        assertThat(run("", "-d", path, "-e", "state")).isEqualTo(1);
        assertThat(stderr()).isEqualTo("einhornsh: could not connect to Einhorn master at " + path
                + ": No such file or directory (is it running? pass -c NAME or -d PATH)\n");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void aStaleSocketIsOneLineAndExitOne() throws Exception {
        Path path = dir.resolve("stale.sock");
        new FakeMaster(path, FakeMaster.echoing("x")).close(); // leaves the socket file, nobody listening
        assertThat(run("", "-d", path.toString(), "-e", "state")).isEqualTo(1);
        assertThat(stderr()).startsWith("einhornsh: could not connect to Einhorn master at " + path + ": ")
                .endsWith(" (is it running? pass -c NAME or -d PATH)\n").hasLineCount(1);
    }

    @Test
    void theNameChoosesTheDefaultSocket() {
        assertThat(run("", "-c", "no-such-master-x", "-e", "state")).isEqualTo(1);
        assertThat(stderr()).contains(" at " + SocketPaths.defaultPath("no-such-master-x", "sock") + ": ");
        err.reset();
        assertThat(run("", "no-such-master-y", "-e", "state")).isEqualTo(1);
        assertThat(stderr()).contains(" at " + SocketPaths.defaultPath("no-such-master-y", "sock") + ": ");
    }

    @Test
    void helpAndBadArgumentsPrintUsageAndExitOne() {
        assertThat(run("", "-h")).isEqualTo(1);
        assertThat(stderr()).isEqualTo(Options.USAGE);
        err.reset();
        assertThat(run("", "a", "b")).isEqualTo(1);
        assertThat(stderr()).startsWith("einhornsh: expected at most one NAME").endsWith(Options.USAGE);
        assertThat(stdout()).isEmpty();
    }

    @Test
    void ehloGoesWithoutAnIdAndItsReplyToStderr() throws Exception {
        master = new FakeMaster(dir.resolve("s"), body -> List.of("{\"message\":\"Welcome, bob! You are speaking to Einhorn Master Process 1.\\nThis is Einhorn 0.1.0.\\n\"}\n"));
        try (MasterConnection connection = MasterConnection.open(socket())) {
            Session session = new Session(connection, socket(), print(out), print(err));
            assertThat(session.ehlo("bob")).isTrue();
            assertThat(session.failed()).isFalse();
        }
        assertThat(master.requests).containsExactly("{\"command\":\"ehlo\",\"user\":\"bob\"}");
        assertThat(stderr()).isEqualTo("Welcome, bob! You are speaking to Einhorn Master Process 1.\nThis is Einhorn 0.1.0.\n");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void ehloWithoutUserSendsNull() throws Exception {
        master = new FakeMaster(dir.resolve("s"), FakeMaster.echoing("Welcome, !"));
        try (MasterConnection connection = MasterConnection.open(socket())) {
            new Session(connection, socket(), print(out), print(err)).ehlo(null);
        }
        assertThat(master.requests).containsExactly("{\"command\":\"ehlo\",\"user\":null}");
    }

    private String socket() {
        return master != null ? master.path.toString() : dir.resolve("s").toString();
    }

    private int run(String stdin, String... args) {
        InputStream in = new ByteArrayInputStream(stdin.getBytes(UTF_8));
        return Main.run(args, in, print(out), print(err));
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, UTF_8);
    }

    private String stdout() {
        return out.toString(UTF_8);
    }

    private String stderr() {
        return err.toString(UTF_8);
    }

}
