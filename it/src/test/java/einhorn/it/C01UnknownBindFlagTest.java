package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cases/reliability.md C1: an unknown bind flag is rejected at start; ,r rebinds over TIME_WAIT. */
class C01UnknownBindFlagTest {
    static final Duration T = Duration.ofSeconds(15);
    @TempDir
    Path dir;

    private void startupError(String bind, String named) throws Exception {
        Path w = Workers.wrapper(dir, "w");
        try (Master m = Master.start(dir, "-n", "1", "-m", "manual", "-b", bind, "--", w.toString())) {
            long t0 = System.nanoTime();
            assertThat(m.waitExit(Duration.ofSeconds(5))).isEqualTo(2);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
            assertThat(m.stderr()).hasSize(1);
            assertThat(m.stderr().getFirst().text()).startsWith("einhorn: ").contains(named);
            assertThat(Events.read(dir)).as("no worker started").isEmpty();
            assertThat(Files.exists(m.sock)).as("no command socket").isFalse();
        }
    }

    @Test
    void step1UnknownFlagNamesItAndTheAcceptedOnes() throws Exception {
        int p = Ports.free();
        startupError("127.0.0.1:" + p + ",rn", "rn");
        assertThat(Ports.unbound(p)).isTrue();
    }

    @Test
    void step1MessageListsTheFlags() {
        int p = Ports.free();
        Path w = Workers.wrapper(dir, "w");
        try (Master m = Master.start(dir, "-n", "1", "-m", "manual", "-b", "127.0.0.1:" + p + ",rn", "--", w.toString())) {
            assertThat(m.waitExit(Duration.ofSeconds(5))).isEqualTo(2);
            assertThat(m.stderrText()).contains("so_reuseaddr").contains("o_nonblock").containsPattern("\\br\\b").containsPattern("\\bn\\b");
        }
    }

    @Test
    void step2BogusFlagAndNonNumericPortAreRejected() throws Exception {
        int p = Ports.free();
        startupError("127.0.0.1:" + p + ",r,bogus", "bogus");
        startupError("127.0.0.1:notaport", "notaport");
        assertThat(Ports.unbound(p)).isTrue();
    }

    @Test
    void step3ReuseAddrRebindsAPortInTimeWait() {
        int p = Ports.free();
        Path srv = Workers.wrapper(dir, "srv", "serve=line");
        String[] args = {"-n", "1", "-m", "manual", "-b", "127.0.0.1:" + p + ",r", "--", srv.toString()};
        try (Master m = Master.start(dir, args)) {
            await().atMost(T).until(() -> m.state().settled(1));
            for (int i = 0; i < 5; i++) assertThat(Ports.readLine(p, 3000)).startsWith("hello from ");
            m.signal("TERM");
            assertThat(m.waitExit(T)).isZero();
        }
        String timeWait = Procs.output("ss", "-tanH", "state", "time-wait", "( sport = :" + p + " )");
        assertThat(timeWait).as("TIME_WAIT entries on %d", p).contains(":" + p);
        try (Master again = Master.start(dir, args)) {
            await().atMost(Duration.ofSeconds(3)).until(() -> {
                String l = Ports.readLine(p, 1000);
                return l != null && l.startsWith("hello from ");
            });
            assertThat(again.alive()).isTrue();
        }
    }
}
