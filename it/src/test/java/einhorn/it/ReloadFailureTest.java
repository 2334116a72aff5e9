package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §9.2 and §8.5: a failed probe or exec leaves the old master serving and ends the client with an error. */
class ReloadFailureTest {
    static final Duration T = Duration.ofSeconds(30);
    @TempDir
    Path dir;

    private void assertUnchanged(Master m, List<Long> originals) {
        assertThat(m.alive()).isTrue();
        State s = m.state();
        assertThat(s.pids()).containsExactlyElementsOf(originals);
        assertThat(s.settled(originals.size())).as("acked, unsignalled, no upgrade: %s", s.root()).isTrue();
        assertThat(s.version()).isZero();
        assertThat(s.get("generation")).isEqualTo(0);
        assertThat(m.workers()).containsExactlyInAnyOrderElementsOf(originals);
        for (long p : originals) assertThat(Procs.ppid(p)).isEqualTo(m.pid());
        assertThat(m.zombies()).isEmpty();
        assertThat(Events.of(dir, "USR2")).isEmpty();
    }

    @Test
    void aProbeKilledByASignalAbortsTheReloadWithAnErrorReply() {
        Path w = Workers.wrapper(dir, "w");
        Path suicide = Workers.script(dir, "suicide", "#!/bin/sh\nkill -KILL $$\n");
        try (Master m = Master.start(dir, "-n", "2", "-m", "manual", "-s", "0.2", "--reexec-as=" + suicide, "--", w.toString())) {
            await().atMost(T).until(() -> m.state().settled(2));
            List<Long> originals = m.state().pids();
            try (Ctl c = Ctl.connect(m.sock)) {
                c.send("{\"id\":5,\"command\":\"reload\"}");
                List<Reply> replies = c.readUntilFinal(T);
                assertThat(replies).hasSize(2);
                assertThat(replies.getFirst().message()).isEqualTo("Reloading, as commanded");
                assertThat(replies.getLast().isError()).isTrue();
                assertThat(replies.getLast().requestId()).isEqualTo(5);
                assertThat(replies.getLast().message()).startsWith("Reload aborted: master reload failed (").contains("SIGKILL");
                // the same connection keeps working
                c.send("{\"id\":6,\"command\":\"ehlo\"}");
                assertThat(c.readReply(T).message()).contains("Einhorn Master Process " + m.pid());
            }
            assertThat(m.logLines("ERROR: Can not initiate einhorn master reload safely, aborting")).hasSize(1);
            assertUnchanged(m, originals);
        }
    }

    @Test
    void aFailedExecKeepsTheOldMasterServingAbortsTheUpgradeAndALaterUpgradeWorks() throws Exception {
        Path w = Workers.wrapper(dir, "w");
        // passes the probe, then makes itself non-executable so that the exec fails with EACCES
        Path wrap = Workers.script(dir, "wrap", "#!/bin/sh\ncase \" $* \" in *\" --upgrade-check \"*)\n  " + Env.einhorn()
                + " \"$@\"; rc=$?; chmod a-x \"$0\"; exit $rc;;\nesac\nexec " + Env.einhorn() + " \"$@\"\n");
        try (Master m = Master.start(dir, "-n", "2", "-m", "manual", "-s", "0.2", "--reexec-as=" + wrap, "--", w.toString())) {
            await().atMost(T).until(() -> m.state().settled(2));
            List<Long> originals = m.state().pids();
            Shell.Result r = Shell.exec(m.sock, "upgrade", T);
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.outLines().getFirst()).isEqualTo("Upgrading smoothly, as commanded");
            assertThat(r.outLines().getLast()).startsWith("Upgrade aborted: master reload failed (");
            assertThat(m.logLines("Upgrade check passed")).hasSize(1);
            assertThat(m.logLines("ERROR: Could not reload! Attempting to continue.")).hasSize(1);
            assertThat(m.logLines("ERROR: Could not reload!").getFirst().text()).containsIgnoringCase("denied");
            assertUnchanged(m, originals);
            assertThat(m.state().upgrading()).isFalse();

            Files.setPosixFilePermissions(wrap, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(wrap, "#!/bin/sh\nexec " + Env.einhorn() + " \"$@\"\n");
            Shell.Result again = Shell.exec(m.sock, "upgrade", Duration.ofSeconds(30));
            assertThat(again.exit()).as(again.toString()).isZero();
            assertThat(again.outLines().getLast()).isEqualTo("Upgrade done");
            await().atMost(T).until(() -> m.state().settled(2) && m.workers().size() == 2 && originals.stream().noneMatch(Procs::alive));
            assertThat(m.state().version()).isEqualTo(1);
            assertThat(m.state().get("generation")).isEqualTo(1);
        }
    }
}
