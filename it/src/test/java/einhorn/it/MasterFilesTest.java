package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §12-§13.4: the command socket, pidfile and lockfile, start-up collisions, and the ps title. */
class MasterFilesTest {
    static final Duration T = Duration.ofSeconds(15);
    @TempDir
    Path dir;

    @Test
    void socketIsPrivatePidfileHoldsThePidAndPsShowsTheName() throws Exception {
        try (Master m = Master.start(dir, "-c", "titled", "-m", "0", "--", "/bin/sleep", "1000")) {
            await().atMost(T).until(() -> m.workers().size() == 1 && Files.exists(m.pidfile));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(m.sock))).isEqualTo("rw-------");
            assertThat(Files.readString(m.pidfile)).isEqualTo(m.pid() + "\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(m.lockfile))).isEqualTo("rw-------");
            assertThat(Procs.output("ps", "-o", "args=", "-p", Long.toString(m.pid()))).startsWith("einhorn: titled");
        }
    }

    @Test
    void psTitleShowsTheCommandWordsWithoutAName() {
        try (Master m = Master.start(dir, "-m", "0", "--", "/bin/sleep", "1000")) {
            await().atMost(T).until(() -> m.workers().size() == 1);
            await().atMost(T).until(() -> Procs.output("ps", "-o", "args=", "-p", Long.toString(m.pid())).startsWith("einhorn: "));
            assertThat(Procs.output("ps", "-o", "args=", "-p", Long.toString(m.pid()))).contains("sleep");
        }
    }

    @Test
    void aSecondMasterOnTheSameSocketFailsAndLeavesTheFirstOnesPidfile() throws Exception {
        try (Master first = Master.start(dir, "-m", "0", "--", "/bin/sleep", "1000")) {
            await().atMost(T).until(() -> first.workers().size() == 1 && Files.exists(first.pidfile));
            try (Master second = Master.builder(dir).noFiles().args("-d", first.sock.toString(), "-e", first.pidfile.toString(),
                    "-f", dir.resolve("lock2").toString(), "-m", "0", "--", "/bin/sleep", "1000").start()) {
                assertThat(second.waitExit(T)).isEqualTo(1);
                assertThat(second.stderrText()).contains("Another process (probably another Einhorn) is listening on the Einhorn command socket at "
                        + first.sock);
                assertThat(second.stderrText()).doesNotContain("Launched");
                await().atMost(T).untilAsserted(() ->
                        assertThat(second.processesOfThisMaster()).as("workers of both").hasSize(1));
                // Checked before second.close(): the harness's close kills every process that uses
                // its socket path, which here is also the first master's.
                assertThat(Files.readString(first.pidfile)).isEqualTo(first.pid() + "\n");
                assertThat(first.state().children()).hasSize(1);
            }
        }
    }

    @Test
    void aStaleSocketIsReplaced() throws Exception {
        Path sock = dir.resolve("s");
        try (ServerSocketChannel stale = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(sock));
        } // closed: the path remains but nobody listens
        assertThat(Files.exists(sock)).isTrue();
        try (Master m = Master.start(dir, "-m", "0", "--", "/bin/sleep", "1000")) {
            m.waitForLog("INFO: Blowing away old Einhorn command socket at " + sock, T);
            await().atMost(T).until(() -> m.state().children().size() == 1);
        }
    }

    @Test
    void aNonSocketFileAtTheSocketPathIsAStartupFailure() throws Exception {
        Files.writeString(dir.resolve("s"), "not a socket");
        try (Master m = Master.start(dir, "-m", "0", "--", "/bin/sleep", "1000")) {
            assertThat(m.waitExit(T)).isEqualTo(1);
            assertThat(m.stderrText()).contains("Non-socket file present at Einhorn command socket path " + dir.resolve("s"));
            assertThat(Files.readString(dir.resolve("s"))).isEqualTo("not a socket");
            assertThat(Files.exists(m.pidfile)).isFalse();
            assertThat(m.processesOfThisMaster()).isEmpty();
        }
    }

    @Test
    void aPidfileInAMissingDirectoryIsAStartupFailureInTheOsWords() throws Exception {
        Path pidfile = dir.resolve("missing").resolve("pid");
        try (Master m = Master.builder(dir).noFiles().args("-d", dir.resolve("s").toString(), "-e", pidfile.toString(),
                "-f", dir.resolve("lock").toString(), "-m", "0", "--", "/bin/sleep", "1000").start()) {
            assertThat(m.waitExit(T)).isEqualTo(1);
            assertThat(m.stderrText()).contains("Could not write pidfile " + pidfile + ": No such file or directory")
                    .doesNotContain("Exception").doesNotContain("java.");
            assertThat(Files.exists(dir.resolve("s"))).as("command socket removed").isFalse();
            assertThat(m.processesOfThisMaster()).isEmpty();
        }
    }

    @Test
    void aBindFailureIsAStartupFailureThatRemovesWhatWasCreated() throws Exception {
        int p = Ports.free();
        try (var holder = new java.net.ServerSocket()) {
            holder.bind(new java.net.InetSocketAddress("127.0.0.1", p));
            try (Master m = Master.start(dir, "-b", "127.0.0.1:" + p, "-m", "0", "--", "/bin/sleep", "1000")) {
                assertThat(m.waitExit(T)).isEqualTo(1);
                assertThat(m.stderrText()).contains("127.0.0.1:" + p).containsIgnoringCase("in use");
                assertThat(Files.exists(m.sock)).isFalse();
                assertThat(Files.exists(m.pidfile)).isFalse();
                assertThat(m.processesOfThisMaster()).isEmpty();
            }
        }
    }
}
