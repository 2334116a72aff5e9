package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * SPEC §5.2-§5.5 end to end: any text a client sends comes back unchanged through the master's
 * framing, parsing and reply escaping. The master echoes the {@code ehlo} user into its reply.
 */
class WireRoundTripPropertiesTest {
    private static Path dir;
    private static Master master;

    @BeforeContainer
    static void start() throws IOException {
        dir = Files.createTempDirectory("einhorn-it-wire");
        master = Master.start(dir, "-m", "0", "--", "/bin/sleep", "1000");
        await().atMost(Duration.ofSeconds(15)).until(() -> master.state().children().size() == 1);
    }

    @AfterContainer
    static void stop() {
        if (master != null) master.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Provide
    Arbitrary<String> users() {
        Arbitrary<Character> any = Arbitraries.oneOf(
                Arbitraries.chars().range('\u0000', '\u007f'),
                Arbitraries.of('%', '\n', '\r', '\t', '"', '\\', '\u0085', '\u2028', '\u2029', '\ufeff', '\u00e9', '\u4e2d'),
                Arbitraries.chars().range('\u0080', '\ud7ff'));
        Arbitrary<String> plain = any.list().ofMaxSize(40).map(cs -> {
            StringBuilder sb = new StringBuilder();
            cs.forEach(sb::append);
            return sb.toString();
        });
        return Arbitraries.oneOf(plain, plain.map(s -> s + "\uD83D\uDE00" + s), Arbitraries.of("%0A", "%25", "%%0A0A", "a%"));
    }

    @Property(tries = 150)
    void theEhloUserComesBackExactly(@ForAll("users") String user) {
        Reply r = Ctl.request(master.sock, Ctl.json(Map.of("command", "ehlo", "user", user)));
        assertThat(r.isError()).as(r.raw()).isFalse();
        assertThat(r.message()).isEqualTo("Welcome, " + user + "! You are speaking to Einhorn Master Process " + master.pid()
                + ".\nThis is Einhorn " + Env.version() + ".\n");
        // an escape is a backslash preceded by an even number of backslashes: never \/ nor a surrogate escape
        assertThat(r.raw()).doesNotContainPattern("(?<!\\\\)(\\\\\\\\)*\\\\/")
                .doesNotContainPattern("(?<!\\\\)(\\\\\\\\)*\\\\u[dD][89abAB]");
    }
}
