package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §7.3 and §4.4: timer acks, manual acks over EINHORN_SOCK_PATH and over the -g fd. */
class AckTest {
    static final Duration T = Duration.ofSeconds(15);
    @TempDir
    Path dir;

    @Test
    void timerAckMarksTheWorkerAckedAfterTheTimeout() {
        try (Master m = Master.start(dir, "-m", "0.5", "--", "/bin/sleep", "1000")) {
            Line launched = m.waitForLog("===> Launched (\\d+)", T);
            Line acked = m.waitForLog("Worker \\d+ has been up for .*so we are considering it alive", T);
            assertThat(Duration.ofNanos(acked.nanos() - launched.nanos())).isGreaterThanOrEqualTo(Duration.ofMillis(400));
            m.waitForLog("Up to 1 / 1 timer ACKs", T);
            assertThat(m.state().ackedCurrent()).hasSize(1);
        }
    }

    @Test
    void manualAckOverTheSocketPathMarksTheWorkerAcked() throws Exception {
        Path go = dir.resolve("go");
        Workers.pythonWorker(dir);
        try (Master m = Master.start(dir, "-m", "manual", "--", dir.resolve("w.py").toString(), "ack=file:" + go)) {
            await().atMost(T).until(() -> m.state().children().size() == 1);
            assertThat(m.state().children().getFirst().acked()).as("acked before the worker acks").isFalse();
            Files.writeString(go, "");
            await().atMost(T).until(() -> m.state().ackedCurrent().size() == 1);
            m.waitForLog("Up to 1 / 1 manual ACKs", T);
        }
    }

    @Test
    void manualAckOverTheCommandFdWorksWithG() {
        Workers.pythonWorker(dir);
        try (Master m = Master.start(dir, "-g", "-m", "manual", "-n", "2", "--", dir.resolve("w.py").toString(), "via=fd")) {
            await().atMost(T).until(() -> m.state().ackedCurrent().size() == 2);
            m.waitForLog("Up to 2 / 2 manual ACKs", T);
        }
    }

    @Test
    void printfToTheCommandFdAcksAShellWorker() {
        Path sh = Workers.script(dir, "shw", "#!/bin/sh\ntrap 'exit 0' USR2\n"
                + "printf '{\"command\":\"worker:ack\",\"pid\":%d}\\n' $$ >&$EINHORN_SOCK_FD\n"
                + "while :; do sleep 1; done\n");
        try (Master m = Master.start(dir, "-g", "-m", "manual", "--", sh.toString())) {
            await().atMost(T).until(() -> m.state().ackedCurrent().size() == 1);
        }
    }

    @Test
    void repeatedAndUnknownAcksAreLoggedAndIgnored() {
        Workers.pythonWorker(dir);
        try (Master m = Master.start(dir, "-m", "manual", "--", dir.resolve("w.py").toString())) {
            await().atMost(T).until(() -> m.state().ackedCurrent().size() == 1);
            long pid = m.state().children().getFirst().pid();
            try (Ctl c = Ctl.connect(m.sock)) {
                c.send("{\"command\":\"worker:ack\",\"pid\":" + pid + "}");
                assertThat(c.closedByPeer(Duration.ofSeconds(5))).as("connection closed after worker:ack, no reply").isTrue();
            }
            Ctl.connect(m.sock).send("{\"command\":\"worker:ack\",\"pid\":999999999}").close();
            m.waitForLog("already ACKed", T);
            m.waitForLog("999999999", T);
            assertThat(m.alive()).isTrue();
            assertThat(m.state().ackedCurrent()).hasSize(1);
        }
    }

    @Test
    void manualAckInTimerModeDoesNotAck() {
        try (Master m = Master.start(dir, "-m", "100", "--", "/bin/sleep", "1000")) {
            await().atMost(T).until(() -> m.state().children().size() == 1);
            long pid = m.state().children().getFirst().pid();
            Ctl.connect(m.sock).send("{\"command\":\"worker:ack\",\"pid\":" + pid + "}").close();
            // logged (a line naming the pid and the ack) and ignored
            await().atMost(T).until(() -> m.logLines("(?i)ack").stream().anyMatch(l -> l.text().contains(Long.toString(pid))
                    && !l.text().contains("Launched")));
            assertThat(m.state().children().getFirst().acked()).isFalse();
        }
    }
}
