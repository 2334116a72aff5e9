package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** SPEC §6.1-§6.3: {@code help}, {@code ehlo}, and {@code state} in YAML and JSON; §15 einhornsh output. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StateAndHelpTest {
    static final Duration T = Duration.ofSeconds(15);
    static final String HELP = """
            You are speaking to the Einhorn command socket. You can run the following commands:

            config: Change runtime settings (args: one YAML or JSON mapping, e.g. {number: 4, seconds: 0.5})
            dec: Decrement the number of Einhorn child processes
            die: Send SIGNAL (default: SIGUSR2) to all workers, stop spawning new ones, and exit once all workers die (args: [SIGNAL])
            help: Print out available commands
            inc: Increment the number of Einhorn child processes
            louder: Increase verbosity
            quieter: Decrease verbosity
            reload: Reload Einhorn
            set_workers: Set the number of Einhorn child processes
            signal: Send one or more signals to all workers (args: SIG1 [SIG2 ...])
            state: Get a dump of Einhorn's current state (args: [json])
            upgrade: Upgrade all Einhorn workers smoothly. This causes Einhorn to reload its own code as well.
            upgrade_fleet: Upgrade all Einhorn workers a fleet at a time. This causes Einhorn to reload its own code as well.
            """;
    Master m;
    int port;

    @BeforeAll
    void start(@TempDir Path dir) {
        Workers.pythonWorker(dir);
        port = Ports.free();
        m = Master.start(dir, "-c", "statetest", "-n", "2", "-m", "manual", "-b", "127.0.0.1:" + port + ",r",
                "-b", "127.0.0.1:0,n", "--", dir.resolve("w.py").toString());
        await().atMost(T).until(() -> m.state().settled(2));
    }

    @AfterAll
    void stop() {
        if (m != null) m.close();
    }

    @Test
    void helpTextIsExact() {
        Reply r = Ctl.request(m.sock, "{\"command\":\"help\"}");
        assertThat(r.message()).isEqualTo(HELP);
        assertThat(r.isError()).isFalse();
    }

    @Test
    void einhornshPrintsHelpAndExitsZero() {
        Shell.Result r = Shell.exec(m.sock, "help");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo(HELP);
    }

    @Test
    void ehloWelcomesTheUserAndNamesTheMaster() {
        String expected = "Welcome, alice! You are speaking to Einhorn Master Process " + m.pid() + " (statetest).\n"
                + "This is Einhorn " + Env.version() + ".\n";
        assertThat(Ctl.request(m.sock, "{\"command\":\"ehlo\",\"user\":\"alice\"}").message()).isEqualTo(expected);
        assertThat(Ctl.request(m.sock, "{\"command\":\"ehlo\",\"user\":null}").message())
                .isEqualTo(expected.replace("alice", ""));
    }

    @Test
    @SuppressWarnings("unchecked")
    void stateYamlLoadsAsASymbolKeyedMapping() {
        Reply r = Ctl.request(m.sock, "{\"command\":\"state\"}");
        assertThat(r.message()).startsWith("---");
        assertThat(r.message()).doesNotContain("!ruby");
        Map<String, Object> doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r.message());
        assertThat(doc).containsOnlyKeys(":state");
        Map<String, Object> s = (Map<String, Object>) doc.get(":state");
        assertThat(s).containsKeys(":children", ":config", ":version", ":generation", ":orig_cmd", ":cmd", ":bind",
                ":bind_fds", ":bound_ports", ":respawn", ":upgrading", ":smooth_upgrade", ":reloading_for_upgrade",
                ":last_spinup", ":last_upgraded", ":consecutive_deaths_before_ack", ":ack_mode", ":verbosity",
                ":signal_timeout", ":cmd_name", ":path", ":preloaded", ":kill_children_on_exit", ":command_socket_as_fd",
                ":nice", ":reexec_commandline", ":drop_environment_variables", ":socket_path", ":pidfile", ":lockfile");
        Map<Object, Object> children = (Map<Object, Object>) s.get(":children");
        assertThat(children).hasSize(2);
        for (Map.Entry<Object, Object> e : children.entrySet()) {
            assertThat(e.getKey()).isInstanceOf(Integer.class);
            Map<String, Object> c = (Map<String, Object>) e.getValue();
            assertThat(c.get(":type")).isEqualTo(":worker");
            assertThat(c.get(":acked")).isEqualTo(true);
            assertThat(c.get(":signaled")).isEqualTo(List.of());
            assertThat(c.get(":spinup_time")).isInstanceOf(Date.class);
            assertThat(c.get(":version")).isEqualTo(0);
        }
        Map<String, Object> config = (Map<String, Object>) s.get(":config");
        assertThat(config.get(":number")).isEqualTo(2);
        assertThat(config.get(":seconds")).isEqualTo(1.0);
        assertThat(config.get(":backlog")).isEqualTo(100);
        assertThat((Map<String, Object>) s.get(":ack_mode")).containsEntry(":type", ":manual");
        assertThat(s.get(":bind")).isEqualTo(List.of(List.of("127.0.0.1", port, List.of("r")), List.of("127.0.0.1", 0, List.of("n"))));
        assertThat(s.get(":bind_fds")).isEqualTo(List.of(3, 4));
        assertThat((List<Object>) s.get(":bound_ports")).hasSize(2).first().isEqualTo(port);
        assertThat(s.get(":socket_path")).isEqualTo(m.sock.toString());
        assertThat(s.get(":pidfile")).isEqualTo(m.pidfile.toString());
        assertThat(s.get(":lockfile")).isEqualTo(m.lockfile.toString());
        assertThat(s.get(":cmd_name")).isEqualTo("statetest");
        assertThat(s.get(":preloaded")).isEqualTo(false);
        assertThat(s.get(":respawn")).isEqualTo(true);
        assertThat(s.get(":upgrading")).isEqualTo(false);
        assertThat(s.get(":last_spinup")).isInstanceOf(Date.class);
    }

    @Test
    @SuppressWarnings("unchecked")
    void stateJsonUsesStringKeysAndRfc3339Times() throws Exception {
        Reply r = Ctl.request(m.sock, "{\"command\":\"state\",\"args\":[\"json\"]}");
        Map<String, Object> s = (Map<String, Object>) JSON.std.mapFrom(r.message()).get("state");
        Map<String, Object> children = (Map<String, Object>) s.get("children");
        assertThat(children.keySet()).allMatch(k -> k.matches("\\d+"));
        for (Object v : children.values()) {
            Map<String, Object> c = (Map<String, Object>) v;
            assertThat(c.get("type")).isEqualTo("worker");
            assertThat((String) c.get("spinup_time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z");
        }
        assertThat((Map<String, Object>) s.get("ack_mode")).containsEntry("type", "manual");
        assertThat(((Map<String, Object>) s.get("config")).get("seconds")).isEqualTo(1.0);
        Map<String, Object> yaml = new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Ctl.request(m.sock, "{\"command\":\"state\",\"args\":[\"yaml\"]}").message());
        assertThat(((Map<String, Object>) yaml.get(":state")).get(":version")).isEqualTo(s.get("version"));
    }

    @Test
    void unknownStateFormatIsAnError() {
        Reply r = Ctl.request(m.sock, "{\"command\":\"state\",\"args\":[\"xml\"]}");
        assertThat(r.raw()).isEqualTo("{\"message\":\"Unknown state format: \\\"xml\\\". Use \\\"yaml\\\" or \\\"json\\\".\",\"error\":true}");
    }

    @Test
    void einhornshExitsOneOnAnErrorReplyAndRunsEachCommand() {
        Shell.Result r = Shell.exec(m.sock, "bogus; state json");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("Unrecognized command: \"bogus\"").contains("{\"state\":");
    }

    @Test
    void einhornshReportsAMissingSocketInOneLine() {
        Path missing = m.dir.resolve("nope.sock");
        Shell.Result r = Shell.exec(missing, "state");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines().toList()).hasSize(1);
        assertThat(r.err()).startsWith("einhornsh: could not connect to Einhorn master at " + missing + ": ");
    }
}
