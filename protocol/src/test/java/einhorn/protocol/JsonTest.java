package einhorn.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC §5.5 and §6.3: compact JSON, with the escapes both JSON and YAML 1.1 readers accept. */
class JsonTest {
    @Test
    void theUsualEscapes() {
        assertThat(Json.write("q\"b\\n\nt\tr\r")).isEqualTo("\"q\\\"b\\\\n\\nt\\tr\\r\"");
    }

    @Test
    void otherControlCharactersUseLowerCaseUnicodeEscapes() {
        assertThat(Json.write("\u0000\u0001\b\f\u001b\u001f")).isEqualTo("\"\\u0000\\u0001\\u0008\\u000c\\u001b\\u001f\"");
    }

    @Test
    void delAndC1ControlsAreEscaped() {
        assertThat(Json.write("\u007f\u0080\u0085\u009f")).isEqualTo("\"\\u007f\\u0080\\u0085\\u009f\"");
    }

    @Test
    void lineSeparatorsBomAndNonCharactersAreEscaped() {
        assertThat(Json.write("\u2028\u2029\uFEFF\uFFFE\uFFFF")).isEqualTo("\"\\u2028\\u2029\\ufeff\\ufffe\\uffff\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "~", "/", "é", "\u00a0", "\u00ff", "\u2027", "\u202a", "\ufffd", "€", "日本", "😀", "\ud7ff", "\ue000"})
    void everyOtherCharacterIsRaw(String s) {
        assertThat(Json.write(s)).isEqualTo("\"" + s + "\"");
    }

    @Test
    void slashIsNeverEscaped() {
        assertThat(Json.write("a/b")).isEqualTo("\"a/b\"");
    }

    @Test
    void loneSurrogatesBecomeReplacementCharacters() {
        assertThat(Json.write("a\ud800b\udc00c\ud83d")).isEqualTo("\"a\ufffdb\ufffdc\ufffd\"");
        assertThat(Json.write("\ud83d\ude00")).isEqualTo("\"\ud83d\ude00\"");
    }

    @Test
    void floatsAlwaysShowAFractionOrExponent() {
        assertThat(Json.write(1.0)).isEqualTo("1.0");
        assertThat(Json.write(0.5)).isEqualTo("0.5");
        assertThat(Json.write(-2.0)).isEqualTo("-2.0");
        assertThat(Json.write(1e300)).isEqualTo("1.0E300");
        assertThat(Json.write(1.5f)).isEqualTo("1.5");
        assertThatThrownBy(() -> Json.write(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.write(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void integersAndOtherScalars() {
        assertThat(Json.write(3)).isEqualTo("3");
        assertThat(Json.write(-3L)).isEqualTo("-3");
        assertThat(Json.write(new BigInteger("123456789012345678901234567890"))).isEqualTo("123456789012345678901234567890");
        assertThat(Json.write(true)).isEqualTo("true");
        assertThat(Json.write(false)).isEqualTo("false");
        assertThat(Json.write(null)).isEqualTo("null");
        assertThat(Json.write(new Sym("worker"))).isEqualTo("\"worker\"");
        assertThat(Json.write(new Timestamp(1_796_312_690_064_855_691L))).isEqualTo("\"2026-12-03T15:44:50.064855691Z\"");
    }

    @Test
    void mapsKeepTheirOrderAndWriteKeysAsStrings() {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put("z", 1);
        m.put(new Sym("a"), List.of());
        m.put(4250L, Map.of());
        m.put(7, null);
        assertThat(Json.write(m)).isEqualTo("{\"z\":1,\"a\":[],\"4250\":{},\"7\":null}");
    }

    @Test
    void nestedCollections() {
        List<Object> bind = new ArrayList<>(List.of("127.0.0.1", 8080, List.of("r")));
        assertThat(Json.write(List.of(bind, Arrays.asList(1.0, null)))).isEqualTo("[[\"127.0.0.1\",8080,[\"r\"]],[1.0,null]]");
    }

    @Test
    void unknownTypesAreProgrammingErrors() {
        assertThatThrownBy(() -> Json.write(new Object())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anyYamlKeyIsWrittenAsItsOwnJsonText() {
        assertThat(Json.write(Map.of(1.5, 1))).isEqualTo("{\"1.5\":1}");
        assertThat(Json.write(Map.of(List.of(1, "a"), true))).isEqualTo("{\"[1,\\\"a\\\"]\":true}");
        java.util.Map<Object, Object> nullKey = new java.util.HashMap<>();
        nullKey.put(null, 1);
        assertThat(Json.write(nullKey)).isEqualTo("{\"null\":1}");
    }

    @Test
    void outputReadsBackAsJsonAndAsYaml() throws ParseException {
        String s = "a\"\\\n\t\r\u0001\u007f\u0085\u2028\ufeffé😀/";
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put("s", s);
        m.put("n", 1L);
        m.put("f", 1.5);
        String json = Json.write(m);
        assertThat(Yaml11.parse(json)).isEqualTo(m);
        assertThat(new org.yaml.snakeyaml.Yaml().<Object>load(json)).isEqualTo(Map.of("s", s, "n", 1, "f", 1.5));
    }
}
