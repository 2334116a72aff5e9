package einhorn.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** SPEC §5.3: whatever a client sends, parsing fails only with ParseException and the master keeps running. */
class Yaml11FuzzTest {
    @Property(tries = 2000)
    void arbitraryStringsOnlyEverThrowParseException(@ForAll String text) {
        parse(text);
    }

    @Property(tries = 2000)
    void arbitraryBytesOnlyEverThrowParseException(@ForAll byte[] bytes) {
        parse(new String(bytes, UTF_8));
    }

    @Property(tries = 3000)
    void yamlishTextOnlyEverThrowsParseException(@ForAll("yamlish") String text) {
        parse(text);
    }

    @Provide
    Arbitrary<String> yamlish() {
        return Arbitraries.strings().withChars("{}[]:,-?!&*|>'\"%@`#~ \n\tab01.+_eE\\/xX").ofMaxLength(60);
    }

    private static void parse(String text) {
        try {
            Yaml11.parse(text);
        } catch (ParseException expected) {
            // refused, as allowed
        }
    }
}
