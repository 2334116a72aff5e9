package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §4.1/§4.2 with {@code -g}: one extra fd, a connected UNIX socket, named by EINHORN_SOCK_FD. */
class CommandSocketFdTest {
    @TempDir
    Path dir;

    @Test
    void withGTheWorkerGetsOneCommandFdAfterTheListeners() {
        try (Master m = Master.builder(dir).prefix("env", "-i", "PATH=/usr/bin:/bin", "_JAVA_SR_SIGNUM=44")
                .args("-g", "-b", "127.0.0.1:0", "-m", "0", "--", "/bin/sleep", "1000").start()) {
            await().atMost(Duration.ofSeconds(15)).until(() -> m.workers().size() == 1);
            long w = m.workers().getFirst();
            assertThat(Procs.fds(w)).containsExactly(0, 1, 2, 3, 4);
            assertThat(Procs.fdTarget(w, 4)).startsWith("socket:[");
            Map<String, String> env = Procs.environ(w);
            assertThat(env).containsEntry("EINHORN_SOCK_FD", "4").containsEntry("EINHORN_FDS", "3");
            assertThat(env).as("the user's own _JAVA_SR_SIGNUM reaches the worker").containsEntry("_JAVA_SR_SIGNUM", "44");
        }
    }
}
