package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §6.5: {@code signal} (unrecorded, one line per signal) and {@code die} (recorded, then shutdown). */
class SignalCommandsTest {
    static final Duration T = Duration.ofSeconds(15);
    @TempDir
    Path dir;

    private Master start(String... workerArgs) {
        Workers.pythonWorker(dir);
        String[] args = new String[6 + workerArgs.length];
        System.arraycopy(new String[] {"-n", "2", "-m", "manual", "--", dir.resolve("w.py").toString()}, 0, args, 0, 6);
        System.arraycopy(workerArgs, 0, args, 6, workerArgs.length);
        Master m = Master.start(dir, args);
        await().atMost(T).until(() -> m.state().settled(2));
        return m;
    }

    @Test
    void signalSendsEachSignalToEveryWorkerWithoutRecordingIt() {
        try (Master m = start()) {
            List<Long> pids = m.state().pids();
            Reply r = Ctl.request(m.sock, "{\"command\":\"signal\",\"args\":[\"usr1\",\"SIGHUP\"]}");
            assertThat(r.raw()).isEqualTo("{\"message\":\"Sent USR1 to 2 workers\\nSent HUP to 2 workers\"}");
            for (long pid : pids) {
                await().atMost(T).until(() -> Events.of(dir, "HUP", pid).size() == 1);
                assertThat(Events.of(dir, "USR1", pid)).hasSize(1);
                // (no order check: Python runs pending handlers in signal-number order, HUP before USR1)
            }
            State s = m.state();
            assertThat(s.pids()).containsExactlyInAnyOrderElementsOf(pids);
            assertThat(s.children()).allSatisfy(c -> assertThat(c.signaled()).isEmpty());
        }
    }

    @Test
    void signalChecksEveryNameBeforeSendingAny() {
        try (Master m = start()) {
            Reply r = Ctl.request(m.sock, "{\"command\":\"signal\",\"args\":[\"USR1\",\"FOO\"]}");
            assertThat(r.raw()).isEqualTo("{\"message\":\"Invalid signal: \\\"FOO\\\"\",\"error\":true}");
            Reply empty = Ctl.request(m.sock, "{\"command\":\"signal\",\"args\":[]}");
            assertThat(empty.message()).isEqualTo("No signal given (usage: signal SIG1 [SIG2 ...])");
            assertThat(empty.isError()).isTrue();
            Reply one = Ctl.request(m.sock, "{\"command\":\"signal\",\"args\":[\"WINCH\"]}");
            assertThat(one.message()).isEqualTo("Sent WINCH to 2 workers");
            await().atMost(T).until(() -> Events.of(dir, "WINCH").size() == 2);
            assertThat(Events.of(dir, "USR1")).as("USR1 was never sent").isEmpty();
        }
    }

    @Test
    void dieSendsUsr2StopsRespawningAndTheMasterExitsZero() throws Exception {
        try (Master m = start()) {
            Reply r = Ctl.request(m.sock, "{\"command\":\"die\"}");
            assertThat(r.raw()).isEqualTo("{\"message\":\"Einhorn is going down! Sent USR2 to 2 workers\"}");
            assertThat(m.waitExit(T)).isZero();
            assertThat(Events.of(dir, "USR2")).hasSize(2);
            assertThat(Events.of(dir, "start")).as("nothing respawned").hasSize(2);
            assertThat(Files.exists(m.sock)).as("socket removed").isFalse();
            assertThat(Files.exists(m.pidfile)).as("pidfile removed").isFalse();
            assertThat(Files.exists(m.lockfile)).as("lockfile kept").isTrue();
        }
    }

    @Test
    void dieWithASignalSendsThatSignal() {
        try (Master m = start("usr2=ignore")) {
            Reply r = Ctl.request(m.sock, "{\"command\":\"die\",\"args\":[\"TERM\"]}");
            assertThat(r.message()).isEqualTo("Einhorn is going down! Sent TERM to 2 workers");
            assertThat(m.waitExit(T)).isZero();
            assertThat(Events.of(dir, "TERM")).hasSize(2);
            assertThat(Events.of(dir, "USR2")).isEmpty();
        }
    }

    @Test
    void dieWithAnInvalidSignalChangesNothing() {
        try (Master m = start()) {
            Reply r = Ctl.request(m.sock, "{\"command\":\"die\",\"args\":[\"NOPE\"]}");
            assertThat(r.message()).isEqualTo("Invalid signal: \"NOPE\"");
            assertThat(m.state().get("respawn")).isEqualTo(true);
            assertThat(m.state().settled(2)).isTrue();
        }
    }
}
