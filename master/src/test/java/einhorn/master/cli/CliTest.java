package einhorn.master.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CliTest {
    private static final Map<String, String> ENV = Map.of("PATH", "/nonexistent::/bin:/usr/bin", "TMPDIR", "/tmp");

    private static Config parse(String... args) throws UsageException {
        return Cli.parse(args, ENV);
    }

    private static UsageException failure(String... args) {
        try {
            Cli.parse(args, ENV);
        } catch (UsageException e) {
            return e;
        }
        throw new AssertionError("expected a usage failure for " + List.of(args));
    }

    @Test
    void parsingStopsAtTheFirstNonOptionWord() throws Exception {
        Config c = parse("-n", "2", "sh", "-n", "5");
        assertThat(c.number()).isEqualTo(2);
        assertThat(c.origCmd()).containsExactly("sh", "-n", "5");
        assertThat(c.cmd()).containsExactly("/bin/sh", "-n", "5");
    }

    @Test
    void doubleDashEndsOptions() throws Exception {
        assertThat(parse("--", "sh", "--help").origCmd()).containsExactly("sh", "--help");
    }

    @Test
    void shortFlagsClusterAndTakeAttachedArguments() throws Exception {
        Config c = parse("-kgn3", "-m0.5", "sh");
        assertThat(c.killChildrenOnExit()).isTrue();
        assertThat(c.commandSocketAsFd()).isTrue();
        assertThat(c.number()).isEqualTo(3);
        assertThat(c.ackTimeout()).isEqualTo(0.5);
    }

    @Test
    void longOptionsTakeEqualsOrSeparateValues() throws Exception {
        Config c = parse("--number=4", "--ack-mode", "manual", "--bind=127.0.0.1:0,r", "-b", "localhost:80", "sh");
        assertThat(c.number()).isEqualTo(4);
        assertThat(c.manualAck()).isTrue();
        assertThat(c.binds()).hasSize(2);
        assertThat(c.binds().get(0).reuseAddr()).isTrue();
    }

    @Test
    void lastValueWinsAndQuietVerboseAccumulateWithinRange() throws Exception {
        assertThat(parse("-n", "2", "-n", "3", "sh").number()).isEqualTo(3);
        assertThat(parse("-q", "-q", "-q", "sh").verbosity()).isEqualTo(2);
        assertThat(parse("-q", "-q", "-q", "-v", "sh").verbosity()).isEqualTo(1);
        assertThat(parse("-vv", "sh").verbosity()).isEqualTo(0);
    }

    @Test
    void abbreviatedLongOptionsAreRejected() {
        UsageException e = failure("--numb", "2", "sh");
        assertThat(e.status()).isEqualTo(2);
        assertThat(e.getMessage()).startsWith("einhorn: ").contains("--numb");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "-b|127.0.0.1:80,rn|rn",
            "-b|127.0.0.1:80,r,bogus|bogus",
            "-b|127.0.0.1:notaport|notaport",
            "-b|127.0.0.1:70000|70000",
            "-b|[::1]:80|IPv6",
            "-n|0|-n",
            "-n|2.5|-n",
            "-m|bogus|-m",
            "-m|-1|-m",
            "-s|0|-s",
            "-s|NaN|-s",
            "-l|-3|-l",
            "-t|0|-t",
            "--max-upgrade-additional|0|--max-upgrade-additional",
            "--nice|a:b|--nice",
            "--nice|1:2:|--nice",
            "--nice|1:2:x:y|--nice"})
    void invalidValuesAreOneLineNamingTheOptionAndExitTwo(String flag, String value, String named) {
        UsageException e = failure(flag, value, "sh");
        assertThat(e.status()).isEqualTo(2);
        assertThat(e.toStdout()).isFalse();
        assertThat(e.getMessage()).startsWith("einhorn: ").contains(named).doesNotContain("\n");
    }

    @Test
    void unknownOptionsAndMissingArgumentsExitTwo() {
        assertThat(failure("-x", "sh").status()).isEqualTo(2);
        assertThat(failure("-n").status()).isEqualTo(2);
    }

    @Test
    void missingWorkerCommandIsInvalid() {
        UsageException e = failure("no-such-command-anywhere");
        assertThat(e.status()).isEqualTo(2);
        assertThat(e.getMessage()).contains("no-such-command-anywhere");
        assertThat(failure("./no/such/path").getMessage()).contains("./no/such/path");
    }

    @Test
    void noCommandPrintsShortUsageAndExitsOne() {
        UsageException e = failure("-n", "2");
        assertThat(e.status()).isEqualTo(1);
        assertThat(e.toStdout()).isTrue();
        assertThat(e.getMessage()).startsWith("## Usage");
    }

    @Test
    void helpExitsOneAndVersionExitsZero() {
        assertThat(failure("-h").status()).isEqualTo(1);
        UsageException v = failure("--version");
        assertThat(v.status()).isZero();
        assertThat(v.getMessage()).isEqualTo("0.1.0");
    }

    @Test
    void defaultsFollowTheSpec() throws Exception {
        Config c = parse("sh");
        assertThat(c.number()).isEqualTo(1);
        assertThat(c.backlog()).isEqualTo(100);
        assertThat(c.ackTimeout()).isEqualTo(1.0);
        assertThat(c.seconds()).isEqualTo(1.0);
        assertThat(c.verbosity()).isEqualTo(1);
        assertThat(c.socketPath()).isEqualTo("/tmp/einhorn.sock");
        assertThat(parse("-c", "web", "sh").pidfile()).isEqualTo("/tmp/einhorn-web.pid");
    }

    @Test
    void upgradeCheckIgnoresEverythingAfterIt() throws Exception {
        assertThat(parse("-n", "2", "--upgrade-check", "-n", "zero", "--bogus").upgradeCheck()).isTrue();
        assertThat(failure("-n", "0", "--upgrade-check").status()).isEqualTo(2);
    }

    @Test
    void pathLookupSkipsEmptyEntriesAndTakesTheFirstExisting() throws Exception {
        assertThat(Cli.resolve("sh", "::/bin:/usr/bin")).isEqualTo("/bin/sh");
        assertThatThrownBy(() -> Cli.resolve("sh", "")).isInstanceOf(UsageException.class);
    }
}
