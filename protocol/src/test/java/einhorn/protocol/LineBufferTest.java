package einhorn.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** SPEC §5.1 and §5.3: a connection's bytes become lines, and a line may not grow past the limit. */
class LineBufferTest {
    @Test
    void aLineSplitAcrossAppendsComesOutWhole() {
        LineBuffer buf = new LineBuffer(LineBuffer.MAX_LINE);
        append(buf, "---%0Acomm");
        assertThat(buf.nextLine()).isNull();
        append(buf, "and: state");
        assertThat(buf.nextLine()).isNull();
        append(buf, "%0A\nnext");
        assertThat(buf.nextLine()).isEqualTo("---%0Acommand: state%0A");
        assertThat(buf.nextLine()).isNull();
        assertThat(new String(buf.unread(), UTF_8)).isEqualTo("next");
    }

    @Test
    void severalLinesInOneAppendComeOutInOrder() {
        LineBuffer buf = new LineBuffer(LineBuffer.MAX_LINE);
        append(buf, "a\nb\n\nc");
        assertThat(buf.nextLine()).isEqualTo("a");
        assertThat(buf.nextLine()).isEqualTo("b");
        assertThat(buf.nextLine()).isEqualTo("");
        assertThat(buf.nextLine()).isNull();
        assertThat(buf.unread()).containsExactly('c');
    }

    @Test
    void linesAreNotUnframed() {
        LineBuffer buf = new LineBuffer(LineBuffer.MAX_LINE);
        append(buf, "a%0Ab%25\n");
        assertThat(buf.nextLine()).isEqualTo("a%0Ab%25");
    }

    @Test
    void aMultiByteCharacterSplitAcrossAppendsDecodes() {
        LineBuffer buf = new LineBuffer(LineBuffer.MAX_LINE);
        byte[] bytes = "é😀\n".getBytes(UTF_8);
        for (byte b : bytes) buf.append(new byte[] {b}, 0, 1);
        assertThat(buf.nextLine()).isEqualTo("é😀");
    }

    @Test
    void malformedUtf8BecomesReplacementCharacters() {
        LineBuffer buf = new LineBuffer(LineBuffer.MAX_LINE);
        buf.append(new byte[] {'a', (byte) 0xff, 'b', '\n'}, 0, 4);
        assertThat(buf.nextLine()).isEqualTo("a\uFFFDb");
    }

    @Test
    void overflowIsExactlyOneByteBeyondTheLimit() {
        LineBuffer buf = new LineBuffer(LineBuffer.MAX_LINE);
        byte[] chunk = new byte[LineBuffer.MAX_LINE];
        Arrays.fill(chunk, (byte) 'x');
        buf.append(chunk, 0, chunk.length);
        assertThat(buf.overflowed()).isFalse();
        buf.append(new byte[] {'x'}, 0, 1);
        assertThat(buf.overflowed()).isTrue();
    }

    @Test
    void aLineOfExactlyTheLimitIsAccepted() {
        LineBuffer buf = new LineBuffer(LineBuffer.MAX_LINE);
        byte[] chunk = new byte[LineBuffer.MAX_LINE + 1];
        Arrays.fill(chunk, (byte) 'x');
        chunk[LineBuffer.MAX_LINE] = '\n';
        buf.append(chunk, 0, chunk.length);
        assertThat(buf.overflowed()).isFalse();
        assertThat(buf.nextLine()).hasSize(LineBuffer.MAX_LINE);
    }

    @Test
    void theLimitCountsOnlyTheCurrentLine() {
        LineBuffer buf = new LineBuffer(4);
        append(buf, "abcd\nabcd\nabcd");
        assertThat(buf.overflowed()).isFalse();
        append(buf, "e");
        assertThat(buf.overflowed()).isTrue();
        assertThat(buf.nextLine()).isEqualTo("abcd");
    }

    @Test
    void aTooLongCompleteLineStillOverflows() {
        LineBuffer buf = new LineBuffer(4);
        append(buf, "abcde\n");
        assertThat(buf.overflowed()).isTrue();
    }

    @Test
    void appendChecksItsBounds() {
        LineBuffer buf = new LineBuffer(4);
        assertThatThrownBy(() -> buf.append(new byte[2], 1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Property
    void anyChunkingGivesTheSameLines(@ForAll("lines") List<String> lines, @ForAll @IntRange(min = 1, max = 7) int chunk) {
        byte[] all = lines.stream().map(l -> l + "\n").collect(java.util.stream.Collectors.joining()).getBytes(UTF_8);
        LineBuffer buf = new LineBuffer(LineBuffer.MAX_LINE);
        List<String> out = new ArrayList<>();
        for (int off = 0; off < all.length; off += chunk) {
            buf.append(all, off, Math.min(chunk, all.length - off));
            for (String l; (l = buf.nextLine()) != null; ) out.add(l);
        }
        assertThat(out).isEqualTo(lines);
        assertThat(buf.unread()).isEmpty();
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<List<String>> lines() {
        return net.jqwik.api.Arbitraries.strings().excludeChars('\n')
                .filter(s -> s.chars().noneMatch(c -> Character.isSurrogate((char) c)))
                .list().ofMaxSize(10);
    }

    private static void append(LineBuffer buf, String s) {
        byte[] b = s.getBytes(UTF_8);
        buf.append(b, 0, b.length);
    }
}
