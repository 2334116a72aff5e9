package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §6.6: `config` validates every key before applying any, replies exactly, and its values persist across reloads. */
class ConfigCommandTest {
    static final Duration T = Duration.ofSeconds(30);
    @TempDir
    Path dir;

    private int id;

    private Reply config(Ctl c, String... args) {
        c.send(Map.of("id", ++id, "command", "config", "args", List.of(args)));
        Reply r = c.readReply(T);
        assertThat(r.requestId()).isEqualTo(id);
        return r;
    }

    private static void ok(Reply r, String message) {
        assertThat(r.raw()).isEqualTo("{\"message\":" + Ctl.json(message) + ",\"request_id\":" + r.requestId() + "}");
    }

    private static void error(Reply r, String message) {
        assertThat(r.raw()).isEqualTo("{\"message\":" + Ctl.json(message) + ",\"request_id\":" + r.requestId() + ",\"error\":true}");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cfg(Master m) {
        return (Map<String, Object>) m.state().get("config");
    }

    @Test
    void configRepliesExactlyAppliesAllOrNothingAndPersistsAcrossAReload() {
        Path w = Workers.wrapper(dir, "w");
        try (Master m = Master.start(dir, "-n", "1", "-m", "manual", "--", w.toString())) {
            await().atMost(T).until(() -> m.state().settled(1));
            try (Ctl c = Ctl.connect(m.sock)) {
                ok(config(c, "{number: 2, seconds: 0.5}"), "Config updated: number 1 -> 2, seconds 1.0 -> 0.5");
                ok(config(c, "{number:", "2}"), "Config unchanged"); // args are joined with single spaces
                error(config(c), "Must pass in a YAML-encoded hash");
                error(config(c, "", ""), "Must pass in a YAML-encoded hash");
                error(config(c, "{number: 2"), "Could not parse argument. Must be a YAML-encoded hash");
                error(config(c, "!ruby/object:Foo {number: 2}"), "Could not parse argument. Must be a YAML-encoded hash");
                error(config(c, "[1]"), "Parsed argument is a Array, not a hash");
                error(config(c, "~"), "Parsed argument is a NilClass, not a hash");
                error(config(c, "3"), "Parsed argument is a Integer, not a hash");
                error(config(c, "{foo: 1}"), "Invalid config: unknown key \"foo\" (known: number, seconds, verbosity, "
                        + "signal_timeout, max_unacked, max_upgrade_additional)");
                // every key is validated before any is applied; only the first bad key is reported
                error(config(c, "{seconds: 0.25, number: 0, verbosity: 9}"), "Invalid config: number must be an integer in [1,1000], got 0");
                assertThat(cfg(m)).containsEntry("seconds", 0.5).containsEntry("number", 2);
                ok(config(c, "{\":number\": 3}"), "Config updated: number 2 -> 3");
                ok(config(c, "{verbosity: 0, signal_timeout: 2, max_unacked: 3, max_upgrade_additional: 1}"),
                        "Config updated: verbosity 1 -> 0, signal_timeout null -> 2, max_unacked null -> 3, max_upgrade_additional null -> 1");
                ok(config(c, "{signal_timeout: null, seconds: 2}"), "Config updated: seconds 0.5 -> 2.0, signal_timeout 2 -> null");
                ok(config(c, "{signal_timeout: 5}"), "Config updated: signal_timeout null -> 5");
                c.send(Map.of("id", ++id, "command", "config"));
                error(c.readReply(T), "No args provided");
            }
            await().atMost(T).until(() -> m.state().settled(3));
            Shell.Result r = Shell.exec(m.sock, "reload", T);
            assertThat(r.exit()).as(r.toString()).isZero();
            State s = m.state();
            assertThat(s.get("generation")).isEqualTo(1);
            assertThat(cfg(m)).containsEntry("number", 3).containsEntry("seconds", 2.0).containsEntry("max_unacked", 3)
                    .containsEntry("max_upgrade_additional", 1);
            assertThat(s.get("verbosity")).isEqualTo(0);
            assertThat(s.get("signal_timeout")).isEqualTo(5);
            try (Ctl c = Ctl.connect(m.sock)) {
                ok(config(c, "{number: 3, seconds: 2.0, verbosity: 0, signal_timeout: 5, max_unacked: 3, max_upgrade_additional: 1}"),
                        "Config unchanged");
            }
            Shell.Result sh = Shell.exec(m.sock, "config {number: 2}; config {number: 0}", T);
            assertThat(sh.exit()).as(sh.toString()).isEqualTo(1);
            assertThat(sh.outLines()).containsExactly("Config updated: number 3 -> 2",
                    "Invalid config: number must be an integer in [1,1000], got 0");
            await().atMost(T).until(() -> m.state().settled(2));
        }
    }
}
