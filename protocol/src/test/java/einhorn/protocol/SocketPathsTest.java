package einhorn.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §12.1: default file paths. */
class SocketPathsTest {
    @Test
    void aWritableTmpdirIsUsed(@TempDir Path dir) {
        assertThat(SocketPaths.defaultPath(null, "sock", dir.toString())).isEqualTo(dir + "/einhorn.sock");
        assertThat(SocketPaths.defaultPath("web", "pid", dir.toString())).isEqualTo(dir + "/einhorn-web.pid");
        assertThat(SocketPaths.defaultPath("web", "lock", dir + "/")).isEqualTo(dir + "/einhorn-web.lock");
    }

    @Test
    void otherwiseTmp(@TempDir Path dir) {
        assertThat(SocketPaths.defaultPath(null, "sock", null)).isEqualTo("/tmp/einhorn.sock");
        assertThat(SocketPaths.defaultPath("x", "sock", "")).isEqualTo("/tmp/einhorn-x.sock");
        assertThat(SocketPaths.defaultPath("x", "sock", dir + "/missing")).isEqualTo("/tmp/einhorn-x.sock");
        assertThat(SocketPaths.defaultPath("x", "sock", dir.resolve("f").toFile().getPath())).isEqualTo("/tmp/einhorn-x.sock");
    }
}
