package einhorn.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A successful execve would replace the test JVM, so only its failure is tested in-process. */
class ExecTest {
    private static final int O_CLOEXEC = 02000000;

    @Test
    void execveOfAMissingFileThrowsAndTheJvmGoesOn() {
        assertThatThrownBy(() -> Exec.execve("/nonexistent/einhorn", List.of("einhorn"),
                List.of("A=1")))
                .isInstanceOfSatisfying(ErrnoException.class, e -> {
                    assertThat(e.errno()).isEqualTo(ErrnoException.ENOENT);
                    assertThat(e.call()).isEqualTo("execve /nonexistent/einhorn");
                });
    }

    @Test
    void execveOfADirectoryIsEacces() {
        assertThatThrownBy(() -> Exec.execve("/", List.of("x"), List.of()))
                .isInstanceOfSatisfying(ErrnoException.class,
                        e -> assertThat(e.errno()).isEqualTo(ErrnoException.EACCES));
    }

    @Test
    void closeRangeCloexecMarksWithoutClosing() {
        int[] pair = Sockets.socketPair();
        try {
            for (int fd : pair) {
                Io.setCloexec(fd, false);
            }
            int from = Math.min(pair[0], pair[1]);
            Exec.closeRangeCloexec(from);
            for (int fd : pair) {
                assertThat(Proc.fdFlags(fd) & O_CLOEXEC).as("fd %d", fd).isNotZero();
            }
            // Still open and connected.
            assertThat(Io.write(pair[0], new byte[] {5}, 0, 1)).isEqualTo(1);
            byte[] b = new byte[1];
            assertThat(Io.read(pair[1], b, 0, 1)).isEqualTo(1);
        } finally {
            Proc.closeAll(pair);
        }
    }
}
