package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §9.3: the reload environment is the start environment minus --drop-env-var, as changed by --reexec-as. */
class ReexecEnvironmentTest {
    static final Duration T = Duration.ofSeconds(30);
    @TempDir
    Path dir;

    private static List<Map<String, String>> workerEnvs(Master m) {
        return m.state().pids().stream().map(Procs::environ).toList();
    }

    private static void upgrade(Master m, int version) {
        Shell.Result r = Shell.exec(m.sock, "upgrade", T);
        assertThat(r.exit()).as(r.toString()).isZero();
        await().atMost(T).until(() -> m.state().settled(2) && m.state().version() == version && m.workers().size() == 2);
    }

    @Test
    void aDroppedVariableReachesWorkersBeforeTheFirstUpgradeOnly() {
        Path w = Workers.wrapper(dir, "w");
        try (Master m = Master.builder(dir).env("VAR", "a")
                .args("-n", "2", "-m", "manual", "-s", "0.2", "--drop-env-var=VAR", "--", w.toString()).start()) {
            await().atMost(T).until(() -> m.state().settled(2));
            assertThat(workerEnvs(m)).hasSize(2).allSatisfy(e -> assertThat(e).containsEntry("VAR", "a"));
            upgrade(m, 1);
            assertThat(workerEnvs(m)).hasSize(2).allSatisfy(e -> assertThat(e).doesNotContainKey("VAR").containsKey("EINHORN_MASTER_PID"));
            upgrade(m, 2);
            assertThat(workerEnvs(m)).hasSize(2).allSatisfy(e -> assertThat(e).doesNotContainKey("VAR"));
            assertThat(m.state().get("drop_environment_variables")).isEqualTo(List.of("VAR"));
        }
    }

    @Test
    void aReexecAsWrapperThatSetsTheVariableIsWhatWorkersSeeAfterAnUpgrade() {
        Path w = Workers.wrapper(dir, "w");
        try (Master m = Master.builder(dir).env("VAR", "a")
                .args("-n", "2", "-m", "manual", "-s", "0.2", "--drop-env-var=VAR", "--reexec-as=env VAR=b " + Env.einhorn(),
                        "--", w.toString()).start()) {
            await().atMost(T).until(() -> m.state().settled(2));
            assertThat(workerEnvs(m)).allSatisfy(e -> assertThat(e).containsEntry("VAR", "a"));
            Map<String, String> before = new java.util.TreeMap<>(workerEnvs(m).getFirst());
            upgrade(m, 1);
            assertThat(workerEnvs(m)).hasSize(2).allSatisfy(e -> assertThat(e).containsEntry("VAR", "b"));
            // nothing else changed: the launcher's and runtime's own variables never reach workers
            for (Map<String, String> after : workerEnvs(m)) {
                Map<String, String> a = new java.util.TreeMap<>(after), b = new java.util.TreeMap<>(before);
                for (Map<String, String> x : List.of(a, b)) {
                    x.remove("VAR");
                    x.remove("EINHORN_CHILD_INDEX");
                }
                assertThat(a).isEqualTo(b);
            }
            Object shown = m.state().get("reexec_commandline"); // SPEC §6.3 does not fix its type
            assertThat(shown instanceof List<?> l ? String.join(" ", l.stream().map(String::valueOf).toList()) : shown)
                    .isEqualTo("env VAR=b " + Env.einhorn());
        }
    }
}
