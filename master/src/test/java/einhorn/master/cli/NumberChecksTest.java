package einhorn.master.cli;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Cli#isInteger} and {@link Cli#isDecimal} replaced two regular expressions (compiled on every
 * start); they must accept exactly what the expressions accepted.
 */
class NumberChecksTest {
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    @ParameterizedTest(name = "\"{0}\": integer {1}, decimal {2}")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
            "0|true|true", "7|true|true", "+3|true|true", "-0|true|true", "-12|true|true", "0012|true|true",
            "99999999999999999999|true|true",
            "''|false|false", "+|false|false", "-|false|false", "+-1|false|false", "--1|false|false",
            "1e5|false|true", "1E5|false|true", "1e+5|false|true", "1e-5|false|true", ".5|false|true",
            "5.|false|true", "-5.|false|true", "+.5|false|true", "1.5e-3|false|true", "5.e3|false|true",
            ".5e3|false|true", "0.0|false|true",
            ".|false|false", "+.|false|false", "-.e1|false|false", "e5|false|false", "1e|false|false",
            "1e+|false|false", "1.5e|false|false", "1e5.0|false|false", "1.2.3|false|false", "1..2|false|false",
            "0x10|false|false", "' 1'|false|false", "'1 '|false|false", "1_000|false|false", "NaN|false|false",
            "Infinity|false|false", "1d|false|false", "1f|false|false", "١|false|false", "١.٥|false|false",
            "１|false|false"})
    void examples(String s, boolean integer, boolean decimal) {
        assertThat(INTEGER.matcher(s).matches()).as("old integer regex").isEqualTo(integer);
        assertThat(DECIMAL.matcher(s).matches()).as("old decimal regex").isEqualTo(decimal);
        assertThat(Cli.isInteger(s)).as("isInteger").isEqualTo(integer);
        assertThat(Cli.isDecimal(s)).as("isDecimal").isEqualTo(decimal);
    }

    @Test
    void lineBreaksAreNeverPartOfANumber() {
        for (String s : new String[] {"1\n", "\n1", "1\r\n", "1.5\n"}) {
            assertThat(DECIMAL.matcher(s).matches() || INTEGER.matcher(s).matches()).isFalse();
            assertThat(Cli.isInteger(s) || Cli.isDecimal(s)).as("%s", s).isFalse();
        }
    }

    @Property(tries = 20_000)
    void sameAsTheRegexesOnNumberLikeStrings(@ForAll("numberLike") String s) {
        assertThat(Cli.isInteger(s)).as("isInteger(\"%s\")", s).isEqualTo(INTEGER.matcher(s).matches());
        assertThat(Cli.isDecimal(s)).as("isDecimal(\"%s\")", s).isEqualTo(DECIMAL.matcher(s).matches());
    }

    @Property(tries = 5_000)
    void sameAsTheRegexesOnAnyString(@ForAll String s) {
        assertThat(Cli.isInteger(s)).as("isInteger(\"%s\")", s).isEqualTo(INTEGER.matcher(s).matches());
        assertThat(Cli.isDecimal(s)).as("isDecimal(\"%s\")", s).isEqualTo(DECIMAL.matcher(s).matches());
    }

    /** Short strings over the characters that matter to either expression, plus a few that must not. */
    @Provide
    Arbitrary<String> numberLike() {
        return Arbitraries.strings().withChars("0123456789+-.eE x١０\n").ofMinLength(0).ofMaxLength(10)
                .edgeCases(c -> c.includeOnly("", "+", ".", "e"));
    }
}
