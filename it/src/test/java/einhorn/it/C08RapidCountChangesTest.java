package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cases/reliability.md C8: rapid count changes settle without killing acked workers. */
class C08RapidCountChangesTest {
    @TempDir
    Path dir;

    @Test
    void step1FourChangesOnOneConnectionSettleAtThreeAckedWorkers() {
        Path slow1 = Workers.wrapper(dir, "slow1", "ack=1");
        try (Master m = Master.start(dir, "-n", "1", "-m", "manual", "--", slow1.toString())) {
            await().atMost(Duration.ofSeconds(15)).until(() -> m.state().settled(1));
            Set<Long> first = Set.copyOf(m.state().pids());
            Shell.Result r = Shell.exec(m.sock, "set_workers 5; inc; dec; set_workers 3");
            assertThat(r.exit()).as(r.toString()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> m.workers().size() == 3 && m.state().settled(3));
            assertThat(m.state().number()).isEqualTo(3);
            assertThat(Events.of(dir, "start")).as("exactly 2 new workers").hasSize(3);
            assertThat(Events.of(dir, "USR2")).as("nobody signalled").isEmpty();
            assertThat(m.state().pids()).containsAll(first);
        }
    }

    @Test
    void step2BadCountsAreRefusedAndChangeNothing() {
        Path slow1 = Workers.wrapper(dir, "slow1", "ack=1");
        try (Master m = Master.start(dir, "-n", "1", "-m", "manual", "--", slow1.toString())) {
            await().atMost(Duration.ofSeconds(15)).until(() -> m.state().settled(1));
            List<Long> pids = m.state().pids();
            for (String bad : List.of("0", "1001", "-1", "x")) {
                Shell.Result r = Shell.exec(m.sock, "set_workers " + bad);
                assertThat(r.exit()).as(r.toString()).isEqualTo(1);
                assertThat(r.out()).contains("[1,1000]");
            }
            Shell.Result one = Shell.exec(m.sock, "set_workers 1");
            assertThat(one.exit()).isZero();
            Shell.Result dec = Shell.exec(m.sock, "dec");
            assertThat(dec.exit()).isEqualTo(1);
            assertThat(dec.out()).contains("already at 1");
            assertThat(m.state().number()).isEqualTo(1);
            assertThat(m.state().pids()).isEqualTo(pids);
            assertThat(m.alive()).isTrue();
        }
    }
}
