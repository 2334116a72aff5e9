package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The "the manual says" expectations of cases/reliability.md (C5, C10, C13, C14), checked by meaning
 * against the manual: README.md together with the long usage ({@code einhorn -h}).
 */
class ReliabilityManualTest {
    static String manual;

    @BeforeAll
    static void read() throws IOException {
        manual = Files.readString(Env.root().resolve("README.md")) + "\n" + Procs.output(Env.einhorn(), "-h");
    }

    static void says(String what, String regex) {
        assertThat(Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.DOTALL).matcher(manual).find())
                .as("the manual says %s (/%s/)", what, regex).isTrue();
    }

    @Test
    void c5WorkersThatIgnoreUsr2NeedDashT() {
        says("that a worker ignoring USR2 needs -t", "ignores? (USR2|the graceful signal).{0,80}-t\\b");
    }

    @Test
    void c10IndicesMayExceedNMinusOneDuringUpgrades() {
        says("that old workers keep their indices during an upgrade, so indices may exceed N-1",
                "(ind(ex|ices)\\b.{0,250}(upgrade|old workers)|(upgrade|old workers).{0,250}\\bind(ex|ices)\\b).{0,250}"
                        + "(exceed|above|larger|greater|beyond|up to|N ?[-−] ?1|gaps?)");
    }

    @Test
    void c13TheListenersBlockingModeIsSharedByAllItsHolders() {
        says("that O_NONBLOCK is shared by every holder of the listener",
                "(O_NONBLOCK|non-?blocking|blocking mode).{0,300}(shared|every (worker|holder|process)|all (of )?(the |its )?(workers|holders|processes))");
    }

    @Test
    void c14ADescendantThatLeavesTheProcessGroupIsNotCovered() {
        says("that a descendant leaving the worker's process group (setsid) is not cleaned up", "setsid");
    }
}
