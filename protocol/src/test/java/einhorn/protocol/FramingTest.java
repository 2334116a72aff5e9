package einhorn.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** SPEC §5.2: framing, checked against the reference client's golden vectors in both directions. */
class FramingTest {
    private static final String ACK_BODY = "---\ncommand: worker:ack\npid: 1234\n";
    private static final String ACK_LINE = "---%0Acommand: worker:ack%0Apid: 1234%0A\n";
    private static final String SHELL_BODY = "---\nid: 1\ncommand: set_workers\nargs:\n- '3'\n";
    private static final String SHELL_LINE = "---%0Aid: 1%0Acommand: set_workers%0Aargs:%0A- '3'%0A\n";
    private static final String EHLO_BODY = "---\ncommand: ehlo\nuser:\n";
    private static final String EHLO_LINE = "---%0Acommand: ehlo%0Auser:%0A\n";
    private static final String REPLY_BODY = "---\nmessage: |\n  a\n  b\nrequest_id: 1\n";
    private static final String REPLY_LINE = "---%0Amessage: |%0A  a%0A  b%0Arequest_id: 1%0A\n";
    private static final String PERCENT_BODY = "---\n:foo:\n- \"%bar\"\n- \"%baz\"\n";
    private static final String PERCENT_LINE = "---%0A:foo:%0A- \"%25bar\"%0A- \"%25baz\"%0A\n";

    @Test
    void goldenBodiesEncodeToTheReferenceLines() {
        assertThat(Framing.encode(ACK_BODY)).isEqualTo(ACK_LINE);
        assertThat(Framing.encode(SHELL_BODY)).isEqualTo(SHELL_LINE);
        assertThat(Framing.encode(EHLO_BODY)).isEqualTo(EHLO_LINE);
        assertThat(Framing.encode(REPLY_BODY)).isEqualTo(REPLY_LINE);
        assertThat(Framing.encode(PERCENT_BODY)).isEqualTo(PERCENT_LINE);
    }

    @Test
    void goldenLinesDecodeToTheBodies() {
        assertThat(Framing.decode(strip(ACK_LINE))).isEqualTo(ACK_BODY);
        assertThat(Framing.decode(strip(SHELL_LINE))).isEqualTo(SHELL_BODY);
        assertThat(Framing.decode(strip(EHLO_LINE))).isEqualTo(EHLO_BODY);
        assertThat(Framing.decode(strip(REPLY_LINE))).isEqualTo(REPLY_BODY);
        assertThat(Framing.decode(strip(PERCENT_LINE))).isEqualTo(PERCENT_BODY);
    }

    @Test
    void goldenBodiesParseToTheirValues() throws ParseException {
        assertThat(Yaml11.parse(Framing.decode(strip(ACK_LINE))))
                .isEqualTo(Map.of("command", "worker:ack", "pid", 1234L));
        assertThat(Yaml11.parse(Framing.decode(strip(SHELL_LINE))))
                .isEqualTo(Map.of("id", 1L, "command", "set_workers", "args", List.of("3")));
        @SuppressWarnings("unchecked") Map<Object, Object> ehlo = (Map<Object, Object>) Yaml11.parse(Framing.decode(strip(EHLO_LINE)));
        assertThat(ehlo).containsEntry("command", "ehlo").containsEntry("user", null).hasSize(2);
        assertThat(Yaml11.parse(Framing.decode(strip(REPLY_LINE))))
                .isEqualTo(Map.of("message", "a\nb\n", "request_id", 1L));
        assertThat(Yaml11.parse(Framing.decode(strip(PERCENT_LINE))))
                .isEqualTo(Map.of(":foo", List.of("%bar", "%baz")));
    }

    @Test
    void decodingIsASinglePass() {
        assertThat(Framing.decode("%2541")).isEqualTo("%41");
        assertThat(Framing.decode("%250A")).isEqualTo("%0A");
    }

    @ParameterizedTest
    @CsvSource({"%41,%41", "%0a,%0a", "%,%", "%2,%2", "%%25,%%", "a%0Ab,'a\nb'", "100%,100%"})
    void nothingButTheTwoEscapesIsDecoded(String line, String body) {
        assertThat(Framing.decode(line)).isEqualTo(body);
    }

    @Test
    void anEncodedLineHasExactlyOneNewlineAtTheEnd() {
        String line = Framing.encode("a\nb\n\n%");
        assertThat(line).isEqualTo("a%0Ab%0A%0A%25\n");
    }

    @Property
    void decodeUndoesEncode(@ForAll String body) {
        String line = Framing.encode(body);
        assertThat(line).endsWith("\n");
        assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n");
        assertThat(Framing.decode(strip(line))).isEqualTo(body);
    }

    private static String strip(String line) {
        return line.substring(0, line.length() - 1);
    }
}
