package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS and _JAVA_OPTIONS are for the user's Java workers. Our own
 * JVMs must not take them: a second collector is a fatal JVM error, and a tiny -Xms makes the AOT
 * cache unusable (also fatal). The workers get them exactly as the user set them, across a reload.
 */
class JvmOptionVariablesTest {
    private static final String TOOL = "-XX:+UseG1GC -Dsome.flag=\"a b\"";
    private static final String JDK = "-Xms2m";
    private static final String UNDERSCORE = "-XX:+UseParallelGC";
    private static final Duration T = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void theMasterIgnoresThemAndEveryWorkerGetsThemUnchangedAcrossAReload() {
        try (Master m = Master.builder(dir)
                .prefix("env", "-i", "PATH=/usr/bin:/bin", "JAVA_TOOL_OPTIONS=" + TOOL, "JDK_JAVA_OPTIONS=" + JDK,
                        "_JAVA_OPTIONS=" + UNDERSCORE)
                .args("-n", "2", "-m", "0", "--", "/bin/sleep", "1000").start()) {
            await().atMost(T).until(() -> m.workers().size() == 2);
            assertUserOptions(Procs.environ(m.workers().getFirst()));
            assertThat(Procs.environ(m.pid())).as("the master's own JVM runs without them")
                    .doesNotContainKeys("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

            Shell.Result r = Shell.exec(m.sock, "reload; inc", T);
            assertThat(r.out()).contains("Reload done");
            await().atMost(T).until(() -> m.workers().size() == 3);
            for (long w : m.workers()) {
                assertUserOptions(Procs.environ(w));
            }
            assertThat(Procs.environ(m.pid())).doesNotContainKeys("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");
        }
    }

    @Test
    void einhornshIgnoresThemToo() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(Env.einhornsh(), "-h"))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("JAVA_TOOL_OPTIONS", "-Xms2m -XX:+UseG1GC");
        pb.environment().put("_JAVA_OPTIONS", "-Xms1m");
        Process p = pb.start();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String text = new String(err, StandardCharsets.UTF_8);
        assertThat(text).startsWith("Usage: einhornsh").doesNotContain("Picked up", "Error occurred");
    }

    private static void assertUserOptions(Map<String, String> env) {
        assertThat(env).containsEntry("JAVA_TOOL_OPTIONS", TOOL).containsEntry("JDK_JAVA_OPTIONS", JDK)
                .containsEntry("_JAVA_OPTIONS", UNDERSCORE).doesNotContainKey("_JAVA_SR_SIGNUM")
                .noneSatisfy((k, v) -> assertThat(k).startsWith("__EINHORN"));
    }
}
