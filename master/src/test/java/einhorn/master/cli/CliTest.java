package einhorn.master.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

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

    // ---- the hand-written option parser (Cli.Options) ----

    private static Cli.Options options(String... args) throws UsageException {
        return Cli.Options.parse(args);
    }

    /** A failure of invalid input: exit 2, stderr, one line starting "einhorn: ". */
    private static String invalidLine(String... args) {
        UsageException e = failure(args);
        assertThat(e.status()).as("status for %s", List.of(args)).isEqualTo(2);
        assertThat(e.toStdout()).isFalse();
        assertThat(e.getMessage()).startsWith("einhorn: ").doesNotContain("\n").doesNotContain("\r");
        return e.getMessage();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "-b|--bind|b",
            "-c|--command-name|c",
            "-d|--socket-path|d",
            "-e|--pidfile|e",
            "-f|--lockfile|f",
            "-l|--backlog|l",
            "-m|--ack-mode|m",
            "-n|--number|n",
            "-p|--preload|p",
            "-s|--seconds|s",
            "-t|--signal-timeout|t",
            "|--drop-env-var|drop-env-var",
            "|--reexec-as|reexec-as",
            "|--nice|nice",
            "|--with-state-fd|with-state-fd",
            "|--max-unacked|max-unacked",
            "|--max-upgrade-additional|max-upgrade-additional",
            "|--max-connections|max-connections"})
    void everyValueOptionTakesItsValueInEveryForm(String shortName, String longName, String field) throws Exception {
        List<String[]> forms = new java.util.ArrayList<>();
        forms.add(new String[] {longName + "=V1", "sh"});
        forms.add(new String[] {longName, "V1", "sh"});
        if (shortName != null) {
            forms.add(new String[] {shortName, "V1", "sh"});
            forms.add(new String[] {shortName + "V1", "sh"});
            forms.add(new String[] {shortName + "=V1", "sh"});
            forms.add(new String[] {"-kq" + shortName.substring(1), "V1", "sh"});
            forms.add(new String[] {"-kq" + shortName.substring(1) + "V1", "sh"});
        }
        for (String[] form : forms) {
            Cli.Options o = options(form);
            assertThat(value(o, field)).as("%s", List.of(form)).isEqualTo("V1");
            assertThat(o.command).as("%s", List.of(form)).containsExactly("sh");
        }
    }

    private static String value(Cli.Options o, String field) {
        return switch (field) {
            case "b" -> o.binds.getLast();
            case "c" -> o.cmdName;
            case "d" -> o.socketPath;
            case "e" -> o.pidfile;
            case "f" -> o.lockfile;
            case "l" -> o.backlog;
            case "m" -> o.ackMode;
            case "n" -> o.number;
            case "p" -> o.preload;
            case "s" -> o.seconds;
            case "t" -> o.signalTimeout;
            case "drop-env-var" -> o.dropEnvVars.getLast();
            case "reexec-as" -> o.reexecAs;
            case "nice" -> o.nice;
            case "with-state-fd" -> o.withStateFd;
            case "max-unacked" -> o.maxUnacked;
            case "max-upgrade-additional" -> o.maxUpgradeAdditional;
            case "max-connections" -> o.maxConnections;
            default -> throw new AssertionError(field);
        };
    }

    @Test
    void everyFlagHasAShortOrLongFormAndTakesNoValue() throws Exception {
        Cli.Options o = options("-g", "-k", "--upgrade-check", "--gc-before-fork", "-h", "--version", "sh");
        assertThat(o.commandSocketAsFd && o.killChildrenOnExit && o.upgradeCheck && o.gcBeforeFork && o.help && o.version)
                .isTrue();
        o = options("--command-socket-as-fd", "--kill-children-on-exit", "--help", "sh");
        assertThat(o.commandSocketAsFd && o.killChildrenOnExit && o.help).isTrue();
        assertThat(options("--quiet", "--quiet", "sh").verbosity).isEqualTo(2);
        assertThat(options("--verbose", "sh").verbosity).isZero();
        Cli.Options none = options("sh");
        assertThat(none.commandSocketAsFd || none.killChildrenOnExit || none.upgradeCheck || none.gcBeforeFork
                || none.help || none.version).isFalse();
    }

    @Test
    void clustersMixFlagsAndEndAtAValueOption() throws Exception {
        Cli.Options o = options("-kgn", "3", "-qc", "web", "sh");
        assertThat(o.killChildrenOnExit && o.commandSocketAsFd).isTrue();
        assertThat(o.number).isEqualTo("3");
        assertThat(o.cmdName).isEqualTo("web");
        assertThat(o.verbosity).isEqualTo(2);
        // The rest of the word is the value, even when it holds letters of other options.
        o = options("-nk", "sh");
        assertThat(o.number).isEqualTo("k");
        assertThat(o.killChildrenOnExit).isFalse();
        assertThat(options("-ca=b", "sh").cmdName).isEqualTo("a=b");
        assertThat(options("-c-q", "sh").cmdName).isEqualTo("-q");
        assertThat(options("-kn=", "sh").number).isEmpty();
        assertThat(invalidLine("-nk", "sh")).contains("-n").contains("\"k\"");
    }

    @Test
    void quietAndVerboseAccumulateInOrderWithinZeroToTwo() throws Exception {
        assertThat(options("-qq", "sh").verbosity).isEqualTo(2);
        assertThat(options("-qqq", "sh").verbosity).isEqualTo(2);
        assertThat(options("-vv", "sh").verbosity).isZero();
        assertThat(options("-vvvq", "sh").verbosity).isEqualTo(1);
        assertThat(options("-qqqv", "sh").verbosity).isEqualTo(1);
        assertThat(options("-q", "-v", "-v", "-v", "-q", "sh").verbosity).isEqualTo(1);
        assertThat(options("--quiet", "-v", "--verbose", "-q", "sh").verbosity).isEqualTo(1);
    }

    @Test
    void bindAndDropEnvVarAccumulateInOrderAndOtherValuesLastWins() throws Exception {
        Cli.Options o = options("-b", "a:1", "--bind=b:2", "-bc:3", "--bind", "d:4",
                "--drop-env-var", "A", "--drop-env-var=B", "-c", "x", "--command-name=y", "-m", "1", "-m2", "sh");
        assertThat(o.binds).containsExactly("a:1", "b:2", "c:3", "d:4");
        assertThat(o.dropEnvVars).containsExactly("A", "B");
        assertThat(o.cmdName).isEqualTo("y");
        assertThat(o.ackMode).isEqualTo("2");
    }

    @Test
    void longFlagsGivenAValueAreInvalid() {
        assertThat(invalidLine("--help=x")).contains("'--help'");
        assertThat(invalidLine("--version=")).contains("'--version'");
        assertThat(invalidLine("--quiet=1", "sh")).contains("'--quiet'");
        assertThat(invalidLine("--gc-before-fork=yes", "sh")).contains("'--gc-before-fork'");
        assertThat(invalidLine("-k=", "sh")).contains("'-k'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "-n|-n",
            "--number|--number",
            "-kgn|-n",
            "-c|-c",
            "--bind|--bind",
            "--max-connections|--max-connections"})
    void aValueOptionAtTheEndIsMissingItsValue(String last, String named) {
        assertThat(invalidLine("-k", last)).isEqualTo("einhorn: missing value for option '" + named + "'");
    }

    /**
     * Kept from picocli 4.7.7: a separate word that is itself an option this parser knows is not taken as
     * a value (almost always a forgotten value), and the error names both.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "-n|-q",
            "-n|-kq",
            "-n|-n3",
            "-n|-n=5",
            "-n|--",
            "-n|--help",
            "-n|--help=x",
            "-n|--number=5",
            "-c|-h",
            "--number|-v",
            "--command-name|--upgrade-check"})
    void aKnownOptionIsNotTakenAsTheNextWordsValue(String option, String next) {
        assertThat(invalidLine(option, next, "sh"))
                .isEqualTo("einhorn: expected a value for option '" + option + "' but found '" + next + "'");
    }

    @Test
    void otherWordsStartingWithADashAreValues() throws Exception {
        assertThat(options("-c", "-x", "sh").cmdName).isEqualTo("-x");
        assertThat(options("-c", "--bogus", "sh").cmdName).isEqualTo("--bogus");
        assertThat(options("-c", "--numb", "sh").cmdName).isEqualTo("--numb");
        assertThat(options("-c", "---", "sh").cmdName).isEqualTo("---");
        assertThat(options("-c", "-", "sh").cmdName).isEqualTo("-");
        assertThat(options("-m", "-1", "sh").ackMode).isEqualTo("-1");
        assertThat(options("-l", "-3", "sh").backlog).isEqualTo("-3");
        // ... and so reach the value checks, which name the option.
        assertThat(invalidLine("-m", "-1", "sh")).contains("-m").contains("\"-1\"");
        assertThat(invalidLine("-l", "-3", "sh")).contains("-l").contains("\"-3\"");
        assertThat(invalidLine("-n", "-x", "sh")).contains("-n").contains("\"-x\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "-x|unknown option '-x'",
            "-kx|unknown option '-x' in '-kx'",
            "-xk|unknown option '-x' in '-xk'",
            "-K|unknown option '-K'",
            "-1|unknown option '-1'",
            "-=|unknown option '-='",
            "--bogus|unknown option '--bogus'",
            "--bogus=1|unknown option '--bogus'",
            "---|unknown option '---'",
            "--=x|unknown option '--=x'"})
    void unknownOptionsAreInvalidAndNamed(String word, String message) {
        assertThat(invalidLine("-n", "2", word, "sh")).isEqualTo("einhorn: " + message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--numb", "--numb=2", "--num", "--n", "--verb", "--he", "--help-me", "--bind-all=x", "--NUMBER"})
    void longOptionsMustBeSpelledOutExactly(String word) {
        String name = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
        assertThat(invalidLine(word, "2", "sh")).isEqualTo("einhorn: unknown option '" + name + "'");
    }

    @Test
    void doubleDashEndsOptionsOnceAndIsDropped() throws Exception {
        assertThat(options("-n", "2", "--", "-n", "3").command).containsExactly("-n", "3");
        assertThat(options("-n", "2", "--", "-n", "3").number).isEqualTo("2");
        assertThat(options("--", "--", "x").command).containsExactly("--", "x");
        assertThat(options("sh", "--", "x").command).containsExactly("sh", "--", "x");
        assertThat(options("-n", "2", "--").command).isEmpty();
        assertThat(failure("-n", "2", "--").getMessage()).startsWith("## Usage");
    }

    @Test
    void parsingStopsAtTheFirstWordThatIsNotAnOption() throws Exception {
        Cli.Options o = options("-n", "2", "app", "-x", "--bogus", "-n", "5", "--");
        assertThat(o.number).isEqualTo("2");
        assertThat(o.command).containsExactly("app", "-x", "--bogus", "-n", "5", "--");
        assertThat(parse("-n", "2", "sh", "--help").origCmd()).containsExactly("sh", "--help");
    }

    @Test
    void aLoneDashIsTheFirstWordOfTheCommand() throws Exception {
        Cli.Options o = options("-n", "2", "-", "-n", "3");
        assertThat(o.number).isEqualTo("2");
        assertThat(o.command).containsExactly("-", "-n", "3");
        assertThat(invalidLine("-n", "2", "-")).contains("worker command \"-\"");
    }

    @Test
    void emptyWordsAreValuesOrTheCommand() throws Exception {
        assertThat(options("-c", "", "sh").cmdName).isEmpty();
        assertThat(options("--command-name=", "sh").cmdName).isEmpty();
        assertThat(options("--command-name", "", "sh").cmdName).isEmpty();
        assertThat(options("-n", "2", "", "x").command).containsExactly("", "x");
        assertThat(invalidLine("-n", "", "sh")).contains("-n");
        assertThat(invalidLine("-n", "2", "", "x")).contains("worker command \"\"");
    }

    @Test
    void helpAndVersionStillNeedAValidCommandLine() {
        assertThat(failure("-h", "sh").status()).isEqualTo(1);
        assertThat(failure("-n", "0", "--version").status()).isZero();
        assertThat(invalidLine("-h", "-x")).contains("'-x'");
        assertThat(invalidLine("--version", "--bogus")).contains("'--bogus'");
    }

    @Test
    void errorsStayOnOneLineWhateverTheInput() {
        assertThat(invalidLine("-n", "1\n2", "sh")).contains("1\\n2");
        assertThat(invalidLine("--bo\r\ngus", "sh")).contains("--bo\\r\\ngus");
        assertThat(invalidLine("-k\n", "sh")).contains("'-\\n'");
        assertThat(invalidLine("-b", "1.2.3.4:80,\n", "sh")).contains("-b");
        assertThat(invalidLine("-k\uD83D\uDE00", "sh")).isEqualTo("einhorn: unknown option '-k\uD83D\uDE00'");
    }
}
