package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §6.4: inc, dec, set_workers, quieter, louder; exact replies and the resulting worker counts. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerCountCommandsTest {
    static final Duration T = Duration.ofSeconds(20);
    Master m;

    @BeforeAll
    void start(@TempDir Path dir) {
        Workers.pythonWorker(dir);
        m = Master.start(dir, "-n", "1", "-m", "manual", "-s", "0.2", "--", dir.resolve("w.py").toString());
        await().atMost(T).until(() -> m.state().settled(1));
    }

    @AfterAll
    void stop() {
        if (m != null) m.close();
    }

    private Reply cmd(String command, String... args) {
        return Ctl.request(m.sock, Ctl.json(args.length == 0 && !command.equals("set_workers")
                ? java.util.Map.of("command", command)
                : java.util.Map.of("command", command, "args", List.of(args))));
    }

    private void settlesAt(int n) {
        await().atMost(T).until(() -> m.workers().size() == n && m.state().settled(n));
    }

    @Test
    @Order(1)
    void incAddsOneWorker() {
        Reply r = cmd("inc");
        assertThat(r.raw()).isEqualTo("{\"message\":\"Incrementing number of workers from 1 -> 2\"}");
        settlesAt(2);
        m.waitForLog("INFO: .*1 -> 2", T);
    }

    @Test
    @Order(2)
    void decRemovesOneWorker() {
        assertThat(cmd("dec").message()).isEqualTo("Decrementing number of workers from 2 -> 1");
        settlesAt(1);
    }

    @Test
    @Order(3)
    void decAtOneIsRefused() {
        Reply r = cmd("dec");
        assertThat(r.raw()).isEqualTo("{\"message\":\"Can't decrease number of workers (already at 1).  "
                + "Run kill " + m.pid() + " if you really want to kill einhorn.\",\"error\":true}");
        assertThat(m.state().number()).isEqualTo(1);
    }

    @Test
    @Order(4)
    void setWorkersGrowsAndShrinks() {
        assertThat(cmd("set_workers", "3").message()).isEqualTo("Altering worker count, 1 -> 3. Will spin up additional workers.");
        settlesAt(3);
        Reply same = cmd("set_workers", "3");
        assertThat(same.message()).isEmpty();
        assertThat(same.isError()).isFalse();
        assertThat(cmd("set_workers", "+1").message()).isEqualTo("Altering worker count, 3 -> 1. Will gracefully terminate workers.");
        settlesAt(1);
    }

    @Test
    @Order(5)
    void setWorkersRejectsAnythingButAnIntegerFromOneToAThousand() {
        for (String bad : List.of("0", "1001", "-1", "x", "3x", "", " 2", "1.5")) {
            Reply r = cmd("set_workers", bad);
            assertThat(r.isError()).as(bad).isTrue();
            assertThat(r.message()).isEqualTo("Invalid count: '" + bad + "'. Must be an integer in [1,1000].");
        }
        Reply none = Ctl.request(m.sock, "{\"command\":\"set_workers\",\"args\":[]}");
        assertThat(none.message()).isEqualTo("Invalid count: ''. Must be an integer in [1,1000].");
        assertThat(m.state().number()).isEqualTo(1);
        assertThat(m.workers()).hasSize(1);
    }

    @Test
    @Order(6)
    void setWorkersAcceptsAThousand() {
        assertThat(cmd("set_workers", "1000").message()).isEqualTo("Altering worker count, 1 -> 1000. Will spin up additional workers.");
        assertThat(cmd("set_workers", "1").message()).isEqualTo("Altering worker count, 1000 -> 1. Will gracefully terminate workers.");
        settlesAt(1);
    }

    @Test
    @Order(7)
    void incImmediatelyFollowedByDecEndsWithExactlyNumberWorkers() {
        try (Ctl c = Ctl.connect(m.sock)) {
            c.sendRaw("{\"command\":\"inc\"}\n{\"command\":\"dec\"}\n");
            assertThat(c.readReply().message()).isEqualTo("Incrementing number of workers from 1 -> 2");
            assertThat(c.readReply().message()).isEqualTo("Decrementing number of workers from 2 -> 1");
        }
        settlesAt(1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> m.workers().size() == 1);
        assertThat(m.zombies()).isEmpty();
    }

    @Test
    @Order(8)
    void quieterAndLouderMoveVerbosityWithinZeroToTwo() {
        assertThat(cmd("quieter").raw()).isEqualTo("{\"message\":\"Verbosity set to 2\"}");
        assertThat(cmd("quieter").message()).isEqualTo("Verbosity set to 2");
        assertThat(cmd("louder").message()).isEqualTo("Verbosity set to 1");
        assertThat(cmd("louder").message()).isEqualTo("Verbosity set to 0");
        assertThat(cmd("louder").message()).isEqualTo("Verbosity set to 0");
        assertThat(cmd("quieter").message()).isEqualTo("Verbosity set to 1");
        Reply withId = Ctl.request(m.sock, "{\"id\":21,\"command\":\"louder\"}");
        assertThat(withId.raw()).isEqualTo("{\"message\":\"Verbosity set to 0\",\"request_id\":21}");
        cmd("quieter");
    }
}
