package einhorn.master.workers;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerEnvTest {
    @Test
    void launcherVariablesNeverReachWorkersButTheUsersOwnValueDoes() {
        Map<String, String> proc = new LinkedHashMap<>();
        proc.put("PATH", "/bin");
        proc.put("_JAVA_SR_SIGNUM", "40");
        proc.put("__EINHORN_SIGNALS_BLOCKED", "1");
        assertThat(WorkerEnv.fromProcessEnv(proc).base()).containsOnlyKeys("PATH");
        proc.put("__EINHORN_USER_SR_SIGNUM", "=44");
        assertThat(WorkerEnv.fromProcessEnv(proc).base()).containsEntry("_JAVA_SR_SIGNUM", "44").hasSize(2);
    }

    @Test
    void jvmOptionVariablesHiddenFromTheMasterGoBackToWorkers() {
        Map<String, String> proc = new LinkedHashMap<>();
        proc.put("PATH", "/bin");
        proc.put("__EINHORN_USER_JAVA_TOOL_OPTIONS", "=-XX:+UseG1GC -Dx=\"a b\"");
        proc.put("__EINHORN_USER_JDK_JAVA_OPTIONS", "=");
        proc.put("__EINHORN_USER__JAVA_OPTIONS", "=-Xms2m");
        assertThat(WorkerEnv.fromProcessEnv(proc).base()).containsOnly(Map.entry("PATH", "/bin"),
                Map.entry("JAVA_TOOL_OPTIONS", "-XX:+UseG1GC -Dx=\"a b\""), Map.entry("JDK_JAVA_OPTIONS", ""),
                Map.entry("_JAVA_OPTIONS", "-Xms2m"));
        // Started without the launcher, the JVM options are simply part of the environment.
        assertThat(WorkerEnv.fromProcessEnv(Map.of("JAVA_TOOL_OPTIONS", "-Dy=1")).base())
                .containsEntry("JAVA_TOOL_OPTIONS", "-Dy=1");
    }

    @Test
    void einhornVariablesAreSetAndStaleOnesRemoved() {
        Map<String, String> proc = Map.of("EINHORN_FD_0", "9", "EINHORN_FD_5", "9", "EINHORN_SOCK_FD", "7", "HOME", "/root");
        List<String> env = WorkerEnv.fromProcessEnv(proc).forWorker(42, "/tmp/s", 2, -1, 3);
        assertThat(env).contains("EINHORN_MASTER_PID=42", "EINHORN_SOCK_PATH=/tmp/s", "EINHORN_FD_COUNT=2",
                "EINHORN_FD_0=3", "EINHORN_FD_1=4", "EINHORN_FDS=3 4", "EINHORN_CHILD_INDEX=3", "HOME=/root");
        assertThat(env).noneMatch(e -> e.startsWith("EINHORN_FD_5=") || e.startsWith("EINHORN_SOCK_FD="));
        assertThat(WorkerEnv.fromProcessEnv(Map.of()).forWorker(1, "s", 1, 4, 0)).contains("EINHORN_SOCK_FD=4", "EINHORN_FDS=3");
        assertThat(WorkerEnv.fromProcessEnv(Map.of()).forWorker(1, "s", 0, -1, 0)).contains("EINHORN_FDS=", "EINHORN_FD_COUNT=0");
    }

    @Test
    void shellAddedVariablesAreReplacedByTheUsersOwn() {
        Map<String, String> proc = new LinkedHashMap<>();
        proc.put("PWD", "/from/shell");
        proc.put("SHLVL", "2");
        proc.put("HOME", "/root");
        proc.put("__EINHORN_USER_SHELL_VARS", "SHLVL=1");
        assertThat(WorkerEnv.fromProcessEnv(proc).base()).containsOnlyKeys("SHLVL", "HOME").containsEntry("SHLVL", "1");
        proc.put("__EINHORN_USER_SHELL_VARS", "");
        assertThat(WorkerEnv.fromProcessEnv(proc).base()).containsOnlyKeys("HOME");
    }
}
