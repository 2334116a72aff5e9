package einhorn.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.jr.ob.JSON;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC §5.3: one-line JSON bodies, read by our small strict reader and checked against jackson-jr. */
class JsonBodyTest {
    @Property(tries = 500)
    void whatJsonWriteWritesReadsBackEqual(@ForAll("objects") Map<String, Object> tree) throws ParseException {
        assertThat(Yaml11.parse(Json.write(tree))).isEqualTo(tree);
    }

    @Property(tries = 500)
    void whatJacksonWritesReadsBackAsJacksonReadsIt(@ForAll("objects") Map<String, Object> tree) throws Exception {
        String text = JSON.std.asString(tree);
        assertThat(Yaml11.parse(text)).isEqualTo(normalize(JSON.std.anyFrom(text)));
    }

    @Property(tries = 5000)
    void whatWeAcceptJacksonAcceptsIdentically(@ForAll("jsonish") String text) throws Exception {
        JsonBody.Parsed ours;
        try {
            ours = JsonBody.read(text);
        } catch (ParseException refused) {
            return;
        }
        if (ours != null) assertThat(ours.value()).isEqualTo(normalize(JSON.std.anyFrom(text)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":01}", "{\"a\":1,}", "{'a':1}", "{\"a\":\"\\x\"}", "{\"a\":tru}", "{\"a\" 1}", "{\"a\":1}}",
            "{\"a\":[1,]}", "{\"a\":.5}", "{\"a\":1.}", "{\"a\":+1}", "{\"a\":\"\t\"}", "{\"a\":\"\\u12\"}", "{a:1}", "{\"a\":1",
            "{\"a\":NaN}", "{\"a\":1}x", "{\"a\":[}", "{\"a\":-}", "{\"a\":1e}"})
    void invalidJsonIsNotReadAsJson(String text) throws ParseException {
        assertThat(JsonBody.read(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", " { } ", "{\"a\":{}}", "{\"a\":[]}", "{\"a\":[[],{}]}", "{\"\":\"\"}", "{\"a\":-0}", "{\"a\":0.5e-3}",
            "{\"a\":1E+2}", "\n{\"a\"\n:\r\n1\t}\n"})
    void validEdgeCasesAreRead(String text) throws Exception {
        assertThat(JsonBody.read(text)).isNotNull();
        assertThat(JsonBody.read(text).value()).isEqualTo(normalize(JSON.std.anyFrom(text)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{a: 1}", "{\"a\": !!str 1}", "{\"a\": 'x'}"})
    void yamlFlowThatIsNotJsonFallsBackToYaml(String text) throws ParseException {
        assertThat(JsonBody.read(text)).isNull();
        assertThat(Yaml11.parse(text)).isInstanceOf(Map.class);
    }

    @Property(tries = 200)
    void escapedStringsDecodeLikeJackson(@ForAll String s) throws Exception {
        StringBuilder escaped = new StringBuilder("{\"s\":\"");
        for (char c : s.toCharArray()) escaped.append(String.format("\\u%04x", (int) c));
        String text = escaped.append("\"}").toString();
        assertThat(JsonBody.read(text).value()).isEqualTo(Map.of("s", s));
    }

    @Property(tries = 100)
    void tooDeepJsonIsRefused(@ForAll @net.jqwik.api.constraints.IntRange(min = 513, max = 20_000) int depth) {
        String text = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        assertThatThrownBy(() -> Yaml11.parse(text)).isInstanceOf(ParseException.class);
    }

    @Provide
    Arbitrary<Map<String, Object>> objects() {
        Arbitrary<Object> scalars = Arbitraries.oneOf(
                Arbitraries.strings().filter(JsonBodyTest::noLoneSurrogates).map(s -> (Object) s),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.just(null));
        Arbitrary<Object> lists = scalars.list().ofMaxSize(4).map(l -> (Object) new ArrayList<>(l));
        Arbitrary<Object> values = Arbitraries.oneOf(scalars, lists);
        return Arbitraries.maps(Arbitraries.strings().ofMaxLength(8).filter(JsonBodyTest::noLoneSurrogates), values)
                .ofMaxSize(5).map(LinkedHashMap::new);
    }

    @Provide
    Arbitrary<String> jsonish() {
        return Arbitraries.strings().withChars("{}[]:,\"\\ -+.eE0123456789aeflnrstu/").ofMaxLength(30).map(s -> "{" + s);
    }

    private static boolean noLoneSurrogates(String s) {
        return s.chars().noneMatch(c -> Character.isSurrogate((char) c));
    }

    /** jackson-jr's Integer becomes our Long; everything else matches already. */
    private static Object normalize(Object v) {
        if (v instanceof Integer i) return i.longValue();
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(k, normalize(val)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) out.add(normalize(o));
            return out;
        }
        return v;
    }
}
