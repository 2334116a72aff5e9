package einhorn.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** SPEC §15.1: einhornsh [-c NAME] [-d PATH] [-e "CMD; CMD"] [-h] [NAME]. */
class OptionsTest {
    @Test
    void nothingMeansTheDefaultSocketAndStdin() throws Exception {
        assertThat(Options.parse(new String[0])).isEqualTo(new Options(null, null, null));
    }

    @Test
    void shortOptionsWithSeparateOrAttachedValues() throws Exception {
        assertThat(Options.parse(new String[] {"-c", "web", "-d", "/s.sock", "-e", "state; inc"}))
                .isEqualTo(new Options("web", "/s.sock", "state; inc"));
        assertThat(Options.parse(new String[] {"-cweb", "-d/s.sock", "-estate"})).isEqualTo(new Options("web", "/s.sock", "state"));
    }

    @Test
    void longOptions() throws Exception {
        assertThat(Options.parse(new String[] {"--command-name", "web", "--socket-path=/s", "--execute=help"}))
                .isEqualTo(new Options("web", "/s", "help"));
    }

    @Test
    void aSinglePositionalWordIsTheName() throws Exception {
        assertThat(Options.parse(new String[] {"web"})).isEqualTo(new Options("web", null, null));
        assertThat(Options.parse(new String[] {"web", "-e", "state"})).isEqualTo(new Options("web", null, "state"));
        assertThat(Options.parse(new String[] {"--", "-odd"})).isEqualTo(new Options("-odd", null, null));
    }

    @Test
    void dashCBeatsThePositionalName() throws Exception {
        assertThat(Options.parse(new String[] {"-c", "a", "b"}).name()).isEqualTo("a");
    }

    @Test
    void theLastRepeatedOptionWins() throws Exception {
        assertThat(Options.parse(new String[] {"-e", "inc", "-e", "dec"}).commands()).isEqualTo("dec");
    }

    @Test
    void anEmptyCommandListIsStillNonInteractive() throws Exception {
        assertThat(Options.parse(new String[] {"-e", ""}).commands()).isEmpty();
    }

    @Test
    void helpUnknownOptionsAndExtraWordsAreUsageErrors() {
        assertThatThrownBy(() -> Options.parse(new String[] {"-h"})).isInstanceOf(Options.UsageException.class).hasMessage(null);
        assertThatThrownBy(() -> Options.parse(new String[] {"--help"})).isInstanceOf(Options.UsageException.class);
        assertThatThrownBy(() -> Options.parse(new String[] {"-x"})).hasMessage("unknown option -x");
        assertThatThrownBy(() -> Options.parse(new String[] {"--bogus=1"})).hasMessage("unknown option --bogus=1");
        assertThatThrownBy(() -> Options.parse(new String[] {"a", "b"})).hasMessage("expected at most one NAME, got 2: a b");
        assertThatThrownBy(() -> Options.parse(new String[] {"-d"})).hasMessage("option -d needs a value");
        assertThatThrownBy(() -> Options.parse(new String[] {"--execute"})).hasMessage("option --execute needs a value");
    }
}
