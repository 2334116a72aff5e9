package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cases/reliability.md C3. A failed self re-exec keeps the master alive. */
class C03FailedReexecTest {
    static final Duration T = Duration.ofSeconds(30);
    @TempDir
    Path dir;

    @Test
    void aMissingReexecWrapperKeepsTheMasterAndAWorkingWrapperLaterUpgrades() {
        Path w = Workers.wrapper(dir, "w");
        Path wrap = dir.resolve("wrap");
        try (Master m = Master.start(dir, "-n", "2", "-m", "manual", "-s", "0.2", "--reexec-as=" + wrap, "--", w.toString())) {
            await().atMost(T).until(() -> m.state().settled(2));
            List<Long> originals = m.state().pids();
            // step 1
            m.signal("HUP");
            m.waitForLog("ERROR: Can not initiate einhorn master reload safely", T);
            Shell.Result reload = Shell.exec(m.sock, "reload", T);
            assertThat(reload.exit()).as(reload.toString()).isEqualTo(1);
            assertThat(reload.outLines().getFirst()).isEqualTo("Reloading, as commanded");
            assertThat(reload.outLines().getLast()).startsWith("Reload aborted: master reload failed (").contains(wrap.toString());
            Shell.Result state = Shell.exec(m.sock, "state", T);
            assertThat(state.exit()).as(state.toString()).isZero();
            assertThat(m.alive()).isTrue();
            List<Line> errors = m.logLines("ERROR: Can not initiate einhorn master reload safely");
            assertThat(errors).hasSize(2).allSatisfy(l -> assertThat(l.text()).contains(wrap.toString()));
            State s = m.state();
            assertThat(s.settled(2)).isTrue();
            assertThat(s.pids()).containsExactlyElementsOf(originals);
            assertThat(s.get("generation")).isEqualTo(0);
            assertThat(m.workers()).containsExactlyInAnyOrderElementsOf(originals);
            assertThat(Events.of(dir, "USR2")).isEmpty();
            // step 2
            Workers.script(dir, "wrap", "#!/bin/sh\nexec " + Env.einhorn() + " \"$@\"\n");
            Shell.Result up = Shell.exec(m.sock, "upgrade", Duration.ofSeconds(30));
            assertThat(up.exit()).as(up.toString()).isZero();
            assertThat(up.outLines().getLast()).isEqualTo("Upgrade done");
            await().atMost(T).until(() -> m.state().settled(2) && m.workers().size() == 2 && originals.stream().noneMatch(Procs::alive));
            assertThat(m.state().version()).isEqualTo(1);
            assertThat(m.state().pids()).doesNotContainAnyElementsOf(originals);
            assertThat(m.alive()).isTrue();
            assertThat(m.zombies()).isEmpty();
        }
    }
}
