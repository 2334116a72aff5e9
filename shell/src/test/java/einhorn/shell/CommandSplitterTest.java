package einhorn.shell;

import static org.assertj.core.api.Assertions.assertThat;

import einhorn.shell.CommandSplitter.Part;
import einhorn.shell.CommandSplitter.Unsplittable;
import einhorn.shell.CommandSplitter.Words;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SPEC §15.3: a line is cut at every ';', then each part is split shell-style. */
class CommandSplitterTest {
    @Test
    void aCommandAndItsArgs() {
        assertThat(CommandSplitter.split("set_workers 3")).containsExactly(words("set_workers", "3"));
        assertThat(CommandSplitter.split("  signal\tUSR2   HUP ")).containsExactly(words("signal", "USR2", "HUP"));
    }

    @Test
    void semicolonsSeparateCommandsAndEmptyPartsAreSkipped() {
        assertThat(CommandSplitter.split("state; inc;;  ; dec;")).containsExactly(words("state"), words("inc"), words("dec"));
        assertThat(CommandSplitter.split("")).isEmpty();
        assertThat(CommandSplitter.split("   ")).isEmpty();
    }

    @Test
    void singleQuotesKeepEverythingLiterally() {
        assertThat(CommandSplitter.split("config '{number: 4, seconds: 0.5}'")).containsExactly(words("config", "{number: 4, seconds: 0.5}"));
        assertThat(CommandSplitter.split("a 'x\\y \"z\"'")).containsExactly(words("a", "x\\y \"z\""));
    }

    @Test
    void doubleQuotesHonourBackslashEscapesOnlyBeforeSpecialCharacters() {
        assertThat(CommandSplitter.split("a \"b \\\"c\\\" \\\\ \\$ \\`\"")).containsExactly(words("a", "b \"c\" \\ $ `"));
        assertThat(CommandSplitter.split("a \"x\\ny\"")).containsExactly(words("a", "x\\ny"));
        assertThat(CommandSplitter.split("a \"it's\"")).containsExactly(words("a", "it's"));
    }

    @Test
    void backslashOutsideQuotesKeepsTheNextCharacter() {
        assertThat(CommandSplitter.split("a b\\ c \\'d")).containsExactly(words("a", "b c", "'d"));
        assertThat(CommandSplitter.split("a b\\")).containsExactly(words("a", "b\\"));
    }

    @Test
    void adjacentPiecesJoinIntoOneWord() {
        assertThat(CommandSplitter.split("a'b'\"c\"d")).containsExactly(words("abcd"));
    }

    @Test
    void emptyQuotesMakeAnEmptyArgument() {
        assertThat(CommandSplitter.split("signal ''")).containsExactly(words("signal", ""));
        assertThat(CommandSplitter.split("signal \"\" x")).containsExactly(words("signal", "", "x"));
    }

    @Test
    void aSemicolonInsideQuotesStillSplits() {
        List<Part> parts = CommandSplitter.split("config 'a;b'");
        assertThat(parts).hasSize(2);
        assertThat(parts).allSatisfy(p -> assertThat(p).isInstanceOf(Unsplittable.class));
        assertThat(CommandSplitter.split("x \"a;b\" c")).containsExactly(
                new Unsplittable("x \"a", "unmatched double quote"), new Unsplittable("b\" c", "unmatched double quote"));
    }

    @Test
    void anUnbalancedQuoteMakesOnlyItsPartUnsplittable() {
        List<Part> parts = CommandSplitter.split("state; signal \"USR2; inc");
        assertThat(parts).containsExactly(words("state"), new Unsplittable(" signal \"USR2", "unmatched double quote"), words("inc"));
        assertThat(CommandSplitter.split("a \"b\\\"")).containsExactly(new Unsplittable("a \"b\\\"", "unmatched double quote"));
    }

    @Test
    void unicodeIsKept() {
        assertThat(CommandSplitter.split("config 'é 😀'")).containsExactly(words("config", "é 😀"));
    }

    private static Words words(String... words) {
        return new Words(List.of(words));
    }
}
