package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SPEC §2: parsing, invalid input (exit 2, one line, nothing created), usage, --version. */
class CommandLineTest {
    @TempDir
    Path dir;

    static final int PORT = Ports.free();

    static Stream<Arguments> invalidInputs() {
        String p = Integer.toString(PORT);
        return Stream.of(
                Arguments.of(List.of("-b", "127.0.0.1:" + p + ",rn", "--", "/bin/sleep", "100"), "rn"),
                Arguments.of(List.of("-b", "127.0.0.1:" + p + ",r,bogus", "--", "/bin/sleep", "100"), "bogus"),
                Arguments.of(List.of("-b", "127.0.0.1:70000", "--", "/bin/sleep", "100"), "70000"),
                Arguments.of(List.of("-b", "127.0.0.1:notaport", "--", "/bin/sleep", "100"), "notaport"),
                Arguments.of(List.of("-b", "[::1]:" + p, "--", "/bin/sleep", "100"), "::1"),
                Arguments.of(List.of("-n", "0", "--", "/bin/sleep", "100"), "0"),
                Arguments.of(List.of("-n", "two", "--", "/bin/sleep", "100"), "two"),
                Arguments.of(List.of("-m", "bogus", "--", "/bin/sleep", "100"), "bogus"),
                Arguments.of(List.of("-m", "-1", "--", "/bin/sleep", "100"), "-1"),
                Arguments.of(List.of("-s", "0", "--", "/bin/sleep", "100"), "0"),
                Arguments.of(List.of("-s", "NaN", "--", "/bin/sleep", "100"), "NaN"),
                Arguments.of(List.of("-l", "-5", "--", "/bin/sleep", "100"), "-5"),
                Arguments.of(List.of("--frobnicate", "--", "/bin/sleep", "100"), "frobnicate"),
                Arguments.of(List.of("--numb=2", "--", "/bin/sleep", "100"), "numb"),
                Arguments.of(List.of("-n"), "-n"),
                Arguments.of(List.of("-n", "-q", "--", "/bin/sleep", "100"), "'-q'"),
                Arguments.of(List.of("-kx", "--", "/bin/sleep", "100"), "'-x'"),
                Arguments.of(List.of("--help=x", "--", "/bin/sleep", "100"), "--help"),
                Arguments.of(List.of("--nice", "x", "--", "/bin/sleep", "100"), "x"),
                Arguments.of(List.of("--", "./does-not-exist"), "does-not-exist"),
                Arguments.of(List.of("--", "no-such-command-anywhere-xyz"), "no-such-command-anywhere-xyz"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidInputs")
    void invalidInputExitsTwoWithOneLineAndCreatesNothing(List<String> args, String named) throws IOException {
        Path run = Files.createDirectories(dir.resolve("run"));
        List<String> all = new ArrayList<>(List.of("-d", run.resolve("s").toString(), "-e", run.resolve("pid").toString(),
                "-f", run.resolve("lock").toString()));
        all.addAll(args);
        try (Master m = Master.builder(dir).noFiles().args(all.toArray(String[]::new)).start()) {
            int exit = m.waitExit(Duration.ofSeconds(10));
            assertThat(exit).as("exit status; stderr:\n%s", m.stderrText()).isEqualTo(2);
            assertThat(m.stderr()).as("stderr").hasSize(1);
            String line = m.stderr().getFirst().text();
            assertThat(line).startsWith("einhorn: ").contains(named).doesNotContain("Exception");
            try (Stream<Path> files = Files.list(run)) {
                assertThat(files).as("files created").isEmpty();
            }
            assertThat(m.processesOfThisMaster()).as("workers").isEmpty();
            assertThat(Ports.unbound(PORT)).as("port %d left unbound", PORT).isTrue();
        }
    }

    @Test
    void aNameWithASlashIsInvalidWhenItWouldNameTheDefaultFiles() throws IOException {
        Path run = Files.createDirectories(dir.resolve("run"));
        try (Master m = Master.builder(dir).noFiles().env("TMPDIR", run.toString())
                .args("-c", "a/b", "--", "/bin/sleep", "100").start()) {
            assertThat(m.waitExit(Duration.ofSeconds(10))).as("stderr:\n%s", m.stderrText()).isEqualTo(2);
            assertThat(m.stderr()).hasSize(1);
            assertThat(m.stderr().getFirst().text()).startsWith("einhorn: invalid -c \"a/b\"").contains("-d, -e and -f");
            try (Stream<Path> files = Files.list(run)) {
                assertThat(files).as("files created").isEmpty();
            }
        }
        // With every file named explicitly, the name is only the ps title and the ehlo suffix.
        try (Master m = Master.start(dir, "-c", "a/b", "-m", "0", "--", "/bin/sleep", "100")) {
            m.waitForLog("Up to 1 / 1", Duration.ofSeconds(15));
            Shell.Result ehlo = Shell.exec(m.sock, "ehlo");
            assertThat(ehlo.exit()).as("%s", ehlo).isZero();
            assertThat(ehlo.out() + ehlo.err()).contains("(a/b)");
        }
    }

    @Test
    void bindErrorNamesTheAcceptedFlags() {
        try (Master m = Master.start(dir, "-b", "127.0.0.1:" + PORT + ",rn", "--", "/bin/sleep", "100")) {
            assertThat(m.waitExit(Duration.ofSeconds(10))).isEqualTo(2);
            assertThat(m.stderrText()).contains("rn").contains("so_reuseaddr").contains("o_nonblock");
        }
    }

    @Test
    void optionsStopAtTheFirstWordThatIsNotAnOption() throws IOException {
        Path app = Workers.script(dir, "app", "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$0.args.$$\"\nexec sleep 1000\n");
        try (Master m = Master.start(dir, "-m", "0", "-n", "2", app.toString(), "-n", "5")) {
            await().atMost(Duration.ofSeconds(15)).until(() -> m.workers().size() == 2
                    && listArgs(app).size() == 2);
            for (Path f : listArgs(app)) assertThat(Files.readAllLines(f)).containsExactly("-n", "5");
        }
    }

    private static List<Path> listArgs(Path app) throws IOException {
        try (Stream<Path> s = Files.list(app.getParent())) {
            return s.filter(p -> p.getFileName().toString().startsWith("app.args.")).toList();
        }
    }

    @Test
    void clusteredAndAttachedShortOptionsAreParsed() {
        try (Master m = Master.start(dir, "-qn3", "-m0", "--", "/bin/sleep", "1000")) {
            await().atMost(Duration.ofSeconds(15)).until(() -> m.workers().size() == 3);
            State s = m.state();
            assertThat(s.number()).isEqualTo(3);
            assertThat(((Number) s.get("verbosity")).intValue()).isEqualTo(2);
        }
    }

    @Test
    void versionPrintsTheVersionAndExitsZero() {
        try (Master m = Master.builder(dir).noFiles().args("--version").start()) {
            assertThat(m.waitExit(Duration.ofSeconds(10))).isZero();
            assertThat(m.stdoutText()).isEqualTo(Env.version() + "\n");
        }
    }

    @Test
    void helpPrintsLongUsageOnStdoutAndExitsOne() {
        try (Master m = Master.builder(dir).noFiles().args("-h").start()) {
            assertThat(m.waitExit(Duration.ofSeconds(10))).isEqualTo(1);
            assertThat(m.stdoutText()).contains("--bind").contains("--ack-mode").contains("--socket-path");
        }
    }

    @Test
    void noWorkerCommandPrintsShortUsageAndExitsOne() throws IOException {
        try (Master m = Master.start(dir, "-n", "2")) {
            assertThat(m.waitExit(Duration.ofSeconds(10))).isEqualTo(1);
            assertThat(m.stdoutText()).startsWith("## Usage");
            assertThat(Files.exists(m.sock)).isFalse();
            assertThat(Files.exists(m.pidfile)).isFalse();
        }
    }
}
