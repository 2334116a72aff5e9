package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §7.6 and §8: smooth and fleet upgrades, their streamed replies, and stuck new versions. */
class UpgradeTest {
    static final Duration T = Duration.ofSeconds(30);
    @TempDir
    Path dir;

    private Master start(int n, String... extra) {
        Path cur = dir.resolve("cur");
        Workers.relink(cur, Workers.wrapper(dir, "ok", "ack=0.3"));
        String[] args = new String[extra.length + 7];
        System.arraycopy(extra, 0, args, 0, extra.length);
        System.arraycopy(new String[] {"-n", Integer.toString(n), "-m", "manual", "-s", "0.2", "--"}, 0, args, extra.length, 6);
        args[args.length - 1] = cur.toString();
        Master m = Master.start(dir, args);
        await().atMost(T).until(() -> m.state().settled(n));
        return m;
    }

    /** (time of the k-th new-version ack, time of the k-th USR2 to an old worker), for every k. */
    private static void assertEachRetirementFollowsAnAck(Path dir, Set<Long> oldPids) {
        List<Long> acks = Events.of(dir, "acking").stream().filter(e -> !oldPids.contains(e.pid()))
                .map(Events.Event::nanos).sorted().toList();
        List<Long> usr2 = Events.of(dir, "USR2").stream().filter(e -> oldPids.contains(e.pid()))
                .map(Events.Event::nanos).sorted().toList();
        assertThat(usr2).hasSameSizeAs(oldPids);
        for (int k = 0; k < usr2.size(); k++) {
            assertThat(acks.size()).as("new acks before old retirement %d", k).isGreaterThan(k);
            assertThat(usr2.get(k)).as("old retirement %d comes after new ack %d", k, k).isGreaterThan(acks.get(k));
        }
    }

    @Test
    void smoothUpgradeRetiresOldWorkersOnlyAfterNewOnesAck() {
        try (Master m = start(3)) {
            Set<Long> old = Set.copyOf(m.state().pids());
            Shell.Result r = Shell.exec(m.sock, "upgrade", T);
            assertThat(r.exit()).as(r.toString()).isZero();
            List<String> lines = r.outLines();
            assertThat(lines.getFirst()).isEqualTo("Upgrading smoothly, as commanded");
            assertThat(lines).contains("Starting smooth upgrade from version 0...");
            assertThat(lines).anyMatch(l -> l.matches("===> Launched \\d+ \\(index: \\d+\\)"));
            assertThat(lines).anyMatch(l -> l.startsWith("Upgraded successfully to version 1 (Einhorn " + Env.version() + ")."));
            assertThat(lines.getLast()).isEqualTo("Upgrade done");
            State s = m.state();
            assertThat(s.version()).isEqualTo(1);
            assertThat(s.upgrading()).isFalse();
            assertThat(s.children()).allSatisfy(c -> assertThat(c.signaled().isEmpty() ? c.version() : 1).isEqualTo(1));
            await().atMost(T).until(() -> m.state().settled(3) && old.stream().noneMatch(Procs::alive));
            assertEachRetirementFollowsAnAck(dir, old);
        }
    }

    @Test
    void whenTheClientSeesUpgradeDoneEveryOldWorkerHasBeenSignalled() {
        try (Master m = start(2)) {
            Set<Long> old = Set.copyOf(m.state().pids());
            try (Ctl c = Ctl.connect(m.sock)) {
                c.send("{\"id\":7,\"command\":\"upgrade\"}");
                List<Reply> replies = c.readUntilFinal(T);
                State s = m.state();
                for (long pid : old) {
                    assertThat(s.children().stream().filter(ch -> ch.pid() == pid).allMatch(ch -> ch.signaled().contains("USR2")))
                            .as("old worker %d signalled (or gone) at Upgrade done", pid).isTrue();
                }
                assertThat(replies.getLast().raw()).isEqualTo("{\"message\":\"Upgrade done\",\"request_id\":7}");
                assertThat(replies.subList(0, replies.size() - 1)).allSatisfy(rp -> {
                    assertThat(rp.isWait()).isTrue();
                    assertThat(rp.requestId()).isEqualTo(7);
                    assertThat(rp.raw()).startsWith("{\"message\":").contains(",\"request_id\":7,\"wait\":true");
                });
                assertThat(replies.getFirst().message()).isEqualTo("Upgrading smoothly, as commanded");
                assertThat(replies).anyMatch(rp -> rp.message().startsWith("Sending USR2 to ["));
            }
        }
    }

    @Test
    void anUpgradeWithoutAnIdGetsOnlyTheFirstLine() {
        try (Master m = start(1)) {
            try (Ctl c = Ctl.connect(m.sock)) {
                c.send("{\"command\":\"upgrade\"}");
                assertThat(c.readReply().raw()).isEqualTo("{\"message\":\"Upgrading smoothly, as commanded\"}");
                c.send("{\"command\":\"ehlo\",\"user\":\"u\"}");
                assertThat(c.readReply(T).message()).startsWith("Welcome, u!");
            }
            await().atMost(T).until(() -> m.state().version() == 1 && m.state().settled(1));
        }
    }

    @Test
    void fleetUpgradeRetiresOldWorkersOnlyAfterAllNewOnesAck() {
        try (Master m = start(3)) {
            Set<Long> old = Set.copyOf(m.state().pids());
            Shell.Result r = Shell.exec(m.sock, "upgrade_fleet", T);
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.outLines().getFirst()).isEqualTo("Upgrading fleet, as commanded");
            assertThat(r.outLines()).contains("Starting fleet upgrade from version 0...");
            assertThat(r.outLines().getLast()).isEqualTo("Upgrade done");
            await().atMost(T).until(() -> m.state().settled(3) && old.stream().noneMatch(Procs::alive));
            long lastNewAck = Events.of(dir, "acking").stream().filter(e -> !old.contains(e.pid()))
                    .mapToLong(Events.Event::nanos).max().orElseThrow();
            List<Events.Event> retirements = Events.of(dir, "USR2").stream().filter(e -> old.contains(e.pid())).toList();
            assertThat(retirements).hasSize(3).allSatisfy(e -> assertThat(e.nanos()).isGreaterThan(lastNewAck));
        }
    }

    @Test
    void newWorkersThatNeverAckNeverRetireTheOldOnesUntilANewerVersionAcks() {
        try (Master m = start(2)) {
            Set<Long> old = Set.copyOf(m.state().pids());
            Workers.relink(dir.resolve("cur"), Workers.wrapper(dir, "mute", "ack=none"));
            try (Ctl first = Ctl.connect(m.sock)) {
                first.send("{\"id\":1,\"command\":\"upgrade\"}");
                await().atMost(T).until(() -> m.state().children().stream().filter(c -> c.version() == 1).count() == 2);
                // let it sit: no ack will come
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> Events.of(dir, "USR2").isEmpty());
                State s = m.state();
                assertThat(s.upgrading()).isTrue();
                assertThat(s.children().stream().filter(c -> old.contains(c.pid())))
                        .hasSize(2).allSatisfy(c -> assertThat(c.signaled()).isEmpty());
                // the first client is still waiting: every line so far has wait
                List<Reply> sofar = new java.util.ArrayList<>();
                while (true) {
                    try {
                        sofar.add(first.readReply(Duration.ofMillis(300)));
                    } catch (AssertionError none) {
                        break;
                    }
                }
                assertThat(sofar).isNotEmpty().allMatch(Reply::isWait);

                Workers.relink(dir.resolve("cur"), dir.resolve("ok"));
                Shell.Result second = Shell.exec(m.sock, "upgrade", T);
                assertThat(second.exit()).as(second.toString()).isZero();
                assertThat(second.outLines()).anyMatch(l -> l.startsWith("Currently upgrading (") && l.contains("bumping version and starting over"));
                assertThat(second.outLines().getLast()).isEqualTo("Upgrade done");
                List<Reply> rest = first.readUntilFinal(T);
                assertThat(rest.getLast().raw()).isEqualTo("{\"message\":\"Upgrade done\",\"request_id\":1}");
            }
            await().atMost(T).until(() -> m.state().version() == 2 && m.state().settled(2) && m.workers().size() == 2);
            // The bump retires the mute (never-acked, now old) workers at once; the originals are
            // retired only as version-2 workers ack (our deviation from §7.6 step 3, see Cull).
            assertThat(old).noneMatch(Procs::alive);
        }
    }

    @Test
    void threeConcurrentUpgradeClientsAllGetUpgradeDone() {
        try (Master m = start(2)) {
            List<CompletableFuture<Shell.Result>> clients = List.of(
                    Shell.execAsync(m.sock, "upgrade", T), Shell.execAsync(m.sock, "upgrade", T), Shell.execAsync(m.sock, "upgrade", T));
            for (CompletableFuture<Shell.Result> f : clients) {
                Shell.Result r = f.join();
                assertThat(r.exit()).as(r.toString()).isZero();
                assertThat(r.outLines().getLast()).isEqualTo("Upgrade done");
            }
            await().atMost(T).until(() -> m.state().settled(2) && m.workers().size() == 2);
            assertThat(m.state().version()).isEqualTo(3);
            assertThat(m.zombies()).isEmpty();
            assertThat(m.stderrText()).doesNotContain("ERROR");
            assertThat(m.state().children().stream().map(State.Child::index).collect(Collectors.toSet())).hasSize(2);
            assertThat(m.state().children().stream().sorted(Comparator.comparing(State.Child::index)).map(State.Child::version))
                    .containsOnly(3);
        }
    }
}
