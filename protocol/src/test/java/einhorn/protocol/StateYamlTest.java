package einhorn.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** SPEC §6.3: the YAML state dump loads back with symbol keys, floats, times and strings intact. */
class StateYamlTest {
    private static final Timestamp SPINUP = new Timestamp(1_796_312_690_064_855_691L);

    @Test
    void timesAreUtcWithNineFractionalDigits() {
        assertThat(SPINUP.yaml()).isEqualTo("2026-12-03 15:44:50.064855691 +00:00");
        assertThat(SPINUP.rfc3339()).isEqualTo("2026-12-03T15:44:50.064855691Z");
        assertThat(new Timestamp(0).yaml()).isEqualTo("1970-01-01 00:00:00.000000000 +00:00");
        assertThat(new Timestamp(-1).rfc3339()).isEqualTo("1969-12-31T23:59:59.999999999Z");
        assertThat(Timestamp.of(Instant.parse("2026-12-03T15:46:00.000000001Z")).yaml())
                .isEqualTo("2026-12-03 15:46:00.000000001 +00:00");
    }

    @Test
    void theSpecExampleShape() {
        String yaml = StateYaml.write(Map.of("state", example()));
        assertThat(yaml).startsWith("---\n:state:\n  :children:\n    4250:\n      :type: :worker\n");
        assertThat(yaml).contains("      :signaled: [\"USR2\"]\n");
        assertThat(yaml).contains("      :spinup_time: 2026-12-03 15:44:50.064855691 +00:00\n");
        assertThat(yaml).contains("    :seconds: 1.0\n");
        assertThat(yaml).contains("    :max_unacked: null\n");
        assertThat(yaml).contains("  :bind: [[\"127.0.0.1\", 8080, [\"r\"]]]\n");
        assertThat(yaml).contains("  :ack_mode:\n    :type: :timer\n    :timeout: 1.0\n");
        assertThat(yaml).contains("  :nice: {}\n");
        assertThat(yaml).endsWith("\n");
    }

    @Test
    void snakeYamlLoadsItWithValuesIntact() {
        Map<?, ?> root = (Map<?, ?>) load(StateYaml.write(Map.of("state", example())));
        Map<?, ?> state = (Map<?, ?>) root.get(":state");
        Map<?, ?> children = (Map<?, ?>) state.get(":children");
        Map<?, ?> worker = (Map<?, ?>) children.get(4250);
        assertThat(worker.get(":type")).isEqualTo(":worker");
        assertThat(worker.get(":version")).isEqualTo(0);
        assertThat(worker.get(":acked")).isEqualTo(true);
        assertThat(worker.get(":signaled")).isEqualTo(List.of("USR2"));
        assertThat((Date) worker.get(":spinup_time")).isCloseTo(Date.from(SPINUP.toInstant()), 1); // SnakeYAML keeps millis
        assertThat(worker.get(":pinged_request_id")).isEqualTo("id-1");
        assertThat(worker.get(":last_signaled_at")).isNull();
        Map<?, ?> config = (Map<?, ?>) state.get(":config");
        assertThat(config.get(":seconds")).isEqualTo(1.0);
        assertThat(config.get(":number")).isEqualTo(1);
        assertThat(config.containsKey(":max_unacked")).isTrue();
        assertThat(state.get(":bind")).isEqualTo(List.of(List.of("127.0.0.1", 8080, List.of("r"))));
        assertThat(state.get(":bind_fds")).isEqualTo(List.of());
        assertThat(state.get(":orig_cmd")).isEqualTo(List.of("ruby", "-e", "puts \"hi\"; # 100%: yes"));
        assertThat(state.get(":nice")).isEqualTo(Map.of());
        assertThat(((Map<?, ?>) state.get(":ack_mode")).get(":type")).isEqualTo(":timer");
    }

    @Test
    void awkwardStringsSurviveTheRoundTrip() {
        String awkward = "yes";
        List<String> strings = List.of(awkward, "", "~", "null", "1", "1.0", ":sym", "- x", "a: b", "#c", "\"q\" \\ ",
                "tab\there", "nl\nnl", "\r", "\u0001\u007f\u0085\u2028\u2029\ufeff", "é日😀", "%25", "2026-12-03 15:44:50 +00:00");
        Map<Object, Object> tree = new LinkedHashMap<>();
        for (int i = 0; i < strings.size(); i++) tree.put("s" + i, strings.get(i));
        tree.put("all", strings);
        Map<?, ?> back = (Map<?, ?>) load(StateYaml.write(tree));
        for (int i = 0; i < strings.size(); i++) assertThat(back.get(":s" + i)).isEqualTo(strings.get(i));
        assertThat(back.get(":all")).isEqualTo(strings);
    }

    @Test
    void floatsAlwaysReadBackAsFloats() {
        Map<Object, Object> tree = new LinkedHashMap<>();
        List<Double> values = List.of(0.0, 1.0, -2.5, 1e300, 1.5e-10, 123456789.0, 1e7);
        for (int i = 0; i < values.size(); i++) tree.put("f" + i, values.get(i));
        Map<?, ?> back = (Map<?, ?>) load(StateYaml.write(tree));
        for (int i = 0; i < values.size(); i++) assertThat(back.get(":f" + i)).isEqualTo(values.get(i));
        assertThat(StateYaml.write(Map.of("f", 1e300))).isEqualTo("---\n:f: 1.0e+300\n");
        assertThat(StateYaml.write(Map.of("f", 1.5e-10))).isEqualTo("---\n:f: 1.5e-10\n");
    }

    @Test
    void symbolsInsideSequencesAndMapsInsideSequencesUseBlockStyle() {
        Map<Object, Object> tree = new LinkedHashMap<>();
        tree.put("l", List.of(new Sym("a"), Map.of("k", 1L), List.of("x", new Sym("b")), Map.of()));
        String yaml = StateYaml.write(tree);
        Map<?, ?> back = (Map<?, ?>) load(yaml);
        assertThat(back.get(":l")).isEqualTo(List.of(":a", Map.of(":k", 1), List.of("x", ":b"), Map.of()));
    }

    @Test
    void emptyAndScalarRoots() {
        assertThat(StateYaml.write(Map.of())).isEqualTo("--- {}\n");
        assertThat(StateYaml.write(null)).isEqualTo("--- null\n");
        assertThat(StateYaml.write(List.of(1L))).isEqualTo("--- [1]\n");
    }

    @Test
    void oddSymbolNamesAreQuotedSoTheDocumentStaysValid() {
        Map<Object, Object> tree = new LinkedHashMap<>();
        tree.put("a b: c", new Sym("x y"));
        Map<?, ?> back = (Map<?, ?>) load(StateYaml.write(tree));
        assertThat(back).isEqualTo(Map.of(":a b: c", ":x y"));
    }

    @Test
    void ourOwnParserReadsItToo() throws ParseException {
        Map<?, ?> back = (Map<?, ?>) Yaml11.parse(StateYaml.write(Map.of("state", example())));
        Map<?, ?> state = (Map<?, ?>) back.get(":state");
        assertThat(((Map<?, ?>) state.get(":config")).get(":seconds")).isEqualTo(1.0);
        assertThat(((Map<?, ?>) ((Map<?, ?>) state.get(":children")).get("4250")).get(":type")).isEqualTo(":worker");
    }

    private static Object load(String yaml) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    }

    private static Map<Object, Object> example() {
        Map<Object, Object> worker = new LinkedHashMap<>();
        worker.put(new Sym("type"), new Sym("worker"));
        worker.put("version", 0L);
        worker.put("acked", true);
        worker.put("signaled", new ArrayList<>(List.of("USR2")));
        worker.put("last_signaled_at", null);
        worker.put("index", 1L);
        worker.put("spinup_time", SPINUP);
        worker.put("pinged_at", null);
        worker.put("pinged_request_id", "id-1");
        Map<Object, Object> children = new LinkedHashMap<>();
        children.put(4250L, worker);
        Map<Object, Object> config = new LinkedHashMap<>();
        config.put("number", 1L);
        config.put("backlog", 100L);
        config.put("seconds", 1.0);
        config.put("max_unacked", null);
        config.put("gc_before_fork", false);
        Map<Object, Object> ack = new LinkedHashMap<>();
        ack.put("type", new Sym("timer"));
        ack.put("timeout", 1.0);
        Map<Object, Object> state = new LinkedHashMap<>();
        state.put("children", children);
        state.put("config", config);
        state.put("version", 1L);
        state.put("bind", List.of(Arrays.asList("127.0.0.1", 8080L, List.of("r"))));
        state.put("bind_fds", List.of());
        state.put("orig_cmd", List.of("ruby", "-e", "puts \"hi\"; # 100%: yes"));
        state.put("ack_mode", ack);
        state.put("nice", Map.of());
        return state;
    }
}
