package einhorn.master.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import einhorn.master.Settings;
import einhorn.master.cli.Cli;
import einhorn.master.cli.Config;
import einhorn.posix.Exec;
import einhorn.posix.Io;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reload state survives a write and a read through a memfd, as the exec hands it over. */
class HandOverTest {
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin", "TMPDIR", "/tmp");

    private static int memfdWith(byte[] bytes) {
        int fd = Exec.memfd("hand-over-test");
        int off = 0;
        while (off < bytes.length) {
            off += Io.write(fd, bytes, off, bytes.length - off);
        }
        return fd;
    }

    @Test
    void everyValueKindRoundTrips() throws Exception {
        // Words that stress the JSON text: quotes, backslashes, control characters, non-ASCII,
        // a character outside the BMP, and something that looks like a number.
        String odd = "a \"quoted\" \\ word\twith\nnewline, \u0001, caf\u00e9, \uD83E\uDD84, 007";
        Config config = Cli.parse(new String[] {"-b", "127.0.0.1:0,r", "-c", "web", "-n", "3", "-s", "0.25",
                "--drop-env-var", odd, "--reexec-as", "/bin/einhorn --x", "sh", "-c", odd}, ENV);
        Map<String, Object> runtime = new LinkedHashMap<>();
        runtime.put("version", 7);
        runtime.put("big", Long.MAX_VALUE);
        runtime.put("nanos", 1_733_000_000_123_456_789L);
        runtime.put("ratio", 1.5e-3);
        runtime.put("nothing", null);
        runtime.put("flags", List.of(true, false));
        Map<String, Object> child = new LinkedHashMap<>();
        child.put("pid", 4242);
        child.put("signaled", List.of("USR2", "TERM"));
        child.put("pinged_request_id", odd);
        byte[] state = HandOver.write(config, new Settings(config), 2, "/opt/einhorn/bin/einhorn", runtime,
                new int[] {5}, new int[] {8080}, 6, List.of(Map.of("fd", 9, "unread", "aGk=")), List.of(child));

        HandOver.Restored r = HandOver.read(memfdWith(state));

        assertThat(r.note()).isNull();
        assertThat(r.launcherPath()).isEqualTo("/opt/einhorn/bin/einhorn");
        assertThat(r.commandServerFd()).isEqualTo(6);
        assertThat(r.listeners()).containsExactly(new HandOver.Listed(5, 8080));
        assertThat(r.config().cmdName()).isEqualTo("web");
        assertThat(r.config().number()).isEqualTo(3);
        assertThat(r.config().seconds()).isEqualTo(0.25);
        assertThat(r.config().verbosity()).isEqualTo(2);
        assertThat(r.config().dropEnvVars()).containsExactly(odd);
        assertThat(r.config().reexecAs()).isEqualTo("/bin/einhorn --x");
        assertThat(r.config().origCmd()).containsExactly("sh", "-c", odd);
        assertThat(r.config().cmd()).isEqualTo(config.cmd());
        assertThat(r.runtime().get("version")).isEqualTo(7L);
        assertThat(r.runtime().get("big")).isEqualTo(Long.MAX_VALUE);
        assertThat(r.runtime().get("nanos")).isEqualTo(1_733_000_000_123_456_789L);
        assertThat(r.runtime().get("ratio")).isEqualTo(1.5e-3);
        assertThat(r.runtime().containsKey("nothing")).isTrue();
        assertThat(r.runtime().get("nothing")).isNull();
        assertThat(r.runtime().get("flags")).isEqualTo(List.of(true, false));
        Map<?, ?> restoredChild = (Map<?, ?>) r.children().getFirst();
        assertThat(restoredChild.get("pid")).isEqualTo(4242L);
        assertThat(restoredChild.get("signaled")).isEqualTo(List.of("USR2", "TERM"));
        assertThat(restoredChild.get("pinged_request_id")).isEqualTo(odd);
        assertThat(((Map<?, ?>) r.connections().getFirst()).get("unread")).isEqualTo("aGk=");
    }

    @Test
    void unknownKeysAreNotedAndBadStateIsRefusedWithAReason() throws Exception {
        Config config = Cli.parse(new String[] {"sh"}, ENV);
        String good = new String(HandOver.write(config, new Settings(config), 1, null, Map.of(), new int[0],
                new int[0], 3, List.of(), List.of()), StandardCharsets.UTF_8);
        String extra = good.substring(0, good.length() - 1) + ",\"from_the_future\":1}";
        assertThat(HandOver.read(memfdWith(extra.getBytes(StandardCharsets.UTF_8))).note())
                .contains("from_the_future");

        for (String bad : List.of("", "[1,2]", "{\"format\":1", "{\"format\":2,\"listeners\":[],"
                + "\"command_server_fd\":3,\"children\":[]}", "{\"listeners\":[]}", "nonsense")) {
            assertThatThrownBy(() -> HandOver.read(memfdWith(bad.getBytes(StandardCharsets.UTF_8))))
                    .as(bad).isInstanceOf(HandOver.RestoreException.class).hasMessageNotContaining("\n");
        }
    }
}
