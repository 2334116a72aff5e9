package einhorn.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC §5.3: request bodies are YAML 1.1 (or one-line JSON), read safely. */
class Yaml11Test {
    @Test
    void plainScalarsResolveAsTheSpecSays() throws ParseException {
        String body = """
                a: ~
                b: null
                c:
                d: NULL
                e: true
                f: Yes
                g: ON
                h: off
                i: No
                j: FALSE
                k: 42
                l: -7
                m: +1_000
                n: 1.5
                o: -.5
                p: 1e3
                q: 2.5E-3
                r: hello
                """;
        @SuppressWarnings("unchecked") Map<Object, Object> m = (Map<Object, Object>) Yaml11.parse(body);
        assertThat(m.get("a")).isNull();
        assertThat(m.get("b")).isNull();
        assertThat(m.get("c")).isNull();
        assertThat(m.get("d")).isNull();
        assertThat(m).containsKeys("a", "b", "c", "d");
        assertThat(List.of(m.get("e"), m.get("f"), m.get("g"))).containsOnly(true);
        assertThat(List.of(m.get("h"), m.get("i"), m.get("j"))).containsOnly(false);
        assertThat(m.get("k")).isEqualTo(42L);
        assertThat(m.get("l")).isEqualTo(-7L);
        assertThat(m.get("m")).isEqualTo(1000L);
        assertThat(m.get("n")).isEqualTo(1.5);
        assertThat(m.get("o")).isEqualTo(-0.5);
        assertThat(m.get("p")).isEqualTo(1000.0);
        assertThat(m.get("q")).isEqualTo(0.0025);
        assertThat(m.get("r")).isEqualTo("hello");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0x1F", "0o17", "0b101", "1:30", "2001-12-14", "2001-12-14 21:59:43.10 -05:00", ".inf", "-.inf",
            ".nan", "y", "n", "1.2.3", "-1-", ".", "+", "1_000x", ":sym", "worker:ack", "=", "<<"})
    void everythingElseStaysAString(String plain) throws ParseException {
        assertThat(Yaml11.parse("v: " + plain)).isEqualTo(Map.of("v", plain));
    }

    @Test
    void leadingZerosAreDecimalNotOctal() throws ParseException {
        assertThat(Yaml11.parse("v: 012")).isEqualTo(Map.of("v", 12L));
    }

    @Test
    void quotedScalarsAreAlwaysStrings() throws ParseException {
        assertThat(Yaml11.parse("a: '3'\nb: \"true\"\nc: ''\nd: \"~\"")).isEqualTo(Map.of("a", "3", "b", "true", "c", "", "d", "~"));
    }

    @Test
    void keysAreStringsAsWritten() throws ParseException {
        Map<?, ?> m = (Map<?, ?>) Yaml11.parse(":foo: 1\n1: 2\ntrue: 3\n~: 4");
        assertThat(new java.util.ArrayList<Object>(m.keySet())).containsExactly(":foo", "1", "true", "~");
    }

    @Test
    void hugeIntegersBecomeBigIntegers() throws ParseException {
        assertThat(Yaml11.parse("v: 9223372036854775807")).isEqualTo(Map.of("v", Long.MAX_VALUE));
        assertThat(Yaml11.parse("v: -9223372036854775808")).isEqualTo(Map.of("v", Long.MIN_VALUE));
        assertThat(Yaml11.parse("v: 9223372036854775808")).isEqualTo(Map.of("v", new BigInteger("9223372036854775808")));
        assertThat(Yaml11.parse("{\"v\":99999999999999999999}")).isEqualTo(Map.of("v", new BigInteger("99999999999999999999")));
    }

    @Test
    void absurdlyLongNumbersAreRefusedQuickly() {
        String digits = "9".repeat(500_000);
        long start = System.nanoTime();
        assertThatThrownBy(() -> Yaml11.parse("v: " + digits)).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> Yaml11.parse("{\"v\":" + digits + "}")).isInstanceOf(ParseException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void oneLineJsonParsesWithOrWithoutSpaces() throws ParseException {
        Map<String, Object> ack = Map.of("command", "worker:ack", "pid", 12L);
        assertThat(Yaml11.parse("{\"command\":\"worker:ack\",\"pid\":12}")).isEqualTo(ack);
        assertThat(Yaml11.parse("{ \"command\" : \"worker:ack\", \"pid\" : 12 }")).isEqualTo(ack);
        assertThat(Yaml11.parse("{\"id\":1,\"command\":\"set_workers\",\"args\":[\"3\"]}"))
                .isEqualTo(Map.of("id", 1L, "command", "set_workers", "args", List.of("3")));
    }

    @Test
    void jsonEscapesThatYaml11LacksAreAccepted() throws ParseException {
        assertThat(Yaml11.parse("{\"s\":\"a\\/b\\ud83d\\ude00\\u00e9\"}")).isEqualTo(Map.of("s", "a/b😀é"));
    }

    @Test
    void yamlFlowMappingsThatAreNotJsonStillParse() throws ParseException {
        assertThat(Yaml11.parse("{command: state, args: [json]}")).isEqualTo(Map.of("command", "state", "args", List.of("json")));
    }

    @Test
    void jsonValuesHaveTheSameTypesAsYaml() throws ParseException {
        Map<?, ?> m = (Map<?, ?>) Yaml11.parse("{\"i\":1,\"f\":1.0,\"t\":true,\"n\":null,\"l\":[{}],\"s\":\"1\"}");
        assertThat(m.get("i")).isEqualTo(1L);
        assertThat(m.get("f")).isEqualTo(1.0);
        assertThat(m.get("t")).isEqualTo(true);
        assertThat(m.containsKey("n")).isTrue();
        assertThat(m.get("l")).isEqualTo(List.of(Map.of()));
        assertThat(m.get("s")).isEqualTo("1");
        assertThat(m).isInstanceOf(LinkedHashMap.class);
    }

    @Test
    void multiLineBodies() throws ParseException {
        String body = """
                ---
                command: config
                args:
                - |
                  number: 4
                  seconds: 0.5
                - >
                  folded
                  text
                - {a: 1, b: [x, "y"]}
                nested:
                  deeper:
                    - 1
                    - - 2
                """;
        Map<?, ?> m = (Map<?, ?>) Yaml11.parse(body);
        assertThat(m.get("args")).isEqualTo(List.of("number: 4\nseconds: 0.5\n", "folded text\n", Map.of("a", 1L, "b", List.of("x", "y"))));
        assertThat(m.get("nested")).isEqualTo(Map.of("deeper", List.of(1L, List.of(2L))));
    }

    @Test
    void emptyDocumentsAreNull() throws ParseException {
        assertThat(Yaml11.parse("")).isNull();
        assertThat(Yaml11.parse("   \n")).isNull();
        assertThat(Yaml11.parse("# only a comment")).isNull();
        assertThat(Yaml11.parse("---\n")).isNull();
    }

    @Test
    void onlyTheFirstDocumentIsRead() throws ParseException {
        assertThat(Yaml11.parse("--- a\n--- b\n")).isEqualTo("a");
    }

    @Test
    void coreTagsAreAllowed() throws ParseException {
        assertThat(Yaml11.parse("a: !!int '12'\nb: !!str 12\nc: !!float 1\nd: !!bool 'yes'\ne: !!null ''\nf: !!map {}\ng: !!seq []\nh: ! 12"))
                .isEqualTo(new LinkedHashMap<>(Map.of("a", 12L, "b", "12", "c", 1.0, "d", true, "f", Map.of(), "g", List.of(), "h", "12")) {{
                    put("e", null);
                }});
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "--- !ruby/object:Gem::Installer\ni: x",
            "!ruby/object:Foo {a: 1}",
            "a: !ruby/hash:Foo {}",
            "a: !ruby/sym foo",
            "a: !!python/object/apply:os.system [\"ls\"]",
            "a: !!python/name:os.system ''",
            "a: !!binary aGVsbG8=",
            "a: !!timestamp 2001-12-14",
            "a: !!set {x, y}",
            "a: !!omap [x: 1]",
            "a: !!pairs [x: 1]",
            "a: !local 1",
            "a: !<tag:example.com,2000:x> 1",
            "a: !!int abc",
            "a: !!float abc",
            "a: !!bool maybe",
            "a: !!null x",
            "a: !!map [1]",
            "a: !!seq {}",
            "a: !!str [1]"})
    void otherTagsAndBadTaggedValuesAreRefused(String body) {
        assertThatThrownBy(() -> Yaml11.parse(body)).isInstanceOf(ParseException.class);
    }

    @Test
    void smallAliasesWork() throws ParseException {
        assertThat(Yaml11.parse("a: &x [1, 2]\nb: *x")).isEqualTo(Map.of("a", List.of(1L, 2L), "b", List.of(1L, 2L)));
    }

    @Test
    void unknownAndRecursiveAliasesAreRefused() {
        assertThatThrownBy(() -> Yaml11.parse("a: *nope")).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> Yaml11.parse("&a [*a]")).isInstanceOf(ParseException.class);
    }

    @Test
    void billionLaughsIsRefusedQuickly() {
        StringBuilder bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            char p = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) bomb.append(i == 0 ? "" : ",").append('*').append(p);
            bomb.append("]\n");
        }
        long start = System.nanoTime();
        assertThatThrownBy(() -> Yaml11.parse(bomb.toString())).isInstanceOf(ParseException.class).hasMessageContaining("alias");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aliasExpansionIsCountedAcrossTheDocument() {
        StringBuilder body = new StringBuilder("a: &a [" + "1,".repeat(99) + "1]\nb: [");
        for (int i = 0; i < 100; i++) body.append(i == 0 ? "" : ",").append("*a");
        body.append("]");
        assertThatThrownBy(() -> Yaml11.parse(body.toString())).isInstanceOf(ParseException.class);
    }

    @Test
    void deepNestingIsRefusedWithoutStackOverflow() {
        int n = 10_000;
        assertThatThrownBy(() -> Yaml11.parse("[".repeat(n) + "]".repeat(n))).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> Yaml11.parse("{\"a\":".repeat(n) + "1" + "}".repeat(n))).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> Yaml11.parse("[".repeat(n))).isInstanceOf(ParseException.class);
        StringBuilder block = new StringBuilder();
        for (int i = 0; i < 2_000; i++) block.append(" ".repeat(i)).append("k:\n");
        assertThatThrownBy(() -> Yaml11.parse(block.toString())).isInstanceOf(ParseException.class);
    }

    @Test
    void moderateNestingIsFine() throws ParseException {
        Object v = Yaml11.parse("[".repeat(500) + "]".repeat(500));
        for (int i = 0; i < 499; i++) v = ((List<?>) v).getFirst();
        assertThat(v).isEqualTo(List.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1, 2", "{a: 1", "a: b: c", "\"unterminated", "a: 'x", "- a\nb: c", "\t- a", "a: [}", "%YAML 9.9\n--- a",
            "{\"a\":1} trailing", "a: \"\\q\"", "@foo", "`x"})
    void malformedDocumentsThrowParseException(String body) {
        assertThatThrownBy(() -> Yaml11.parse(body)).isInstanceOf(ParseException.class);
    }

    @Test
    void returnedCollectionsAreMutableJavaCollections() throws ParseException {
        Object v = Yaml11.parse("a: [1]");
        assertThat(v).isInstanceOf(LinkedHashMap.class);
        assertThat(((Map<?, ?>) v).get("a")).isInstanceOf(java.util.ArrayList.class);
    }

    @Test
    void duplicateKeysKeepTheLastValue() throws ParseException {
        assertThat(Yaml11.parse("a: 1\na: 2")).isEqualTo(Map.of("a", 2L));
        assertThat(Yaml11.parse("{\"a\":1,\"a\":2}")).isEqualTo(Map.of("a", 2L));
    }

    @Test
    void scalarRoots() throws ParseException {
        assertThat(Yaml11.parse("hello")).isEqualTo("hello");
        assertThat(Yaml11.parse("- 1\n- x")).isEqualTo(Arrays.asList(1L, "x"));
    }
}
