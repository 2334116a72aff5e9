package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cases/reliability.md C4. Upgrade after the start directory has been deleted. */
class C04DeletedStartDirectoryTest {
    static final Duration T = Duration.ofSeconds(30);
    @TempDir
    Path dir;

    private static void rmrf(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(x);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String listener(long masterPid, long worker) {
        String inode = Procs.fdTarget(worker, 3);
        assertThat(Procs.fds(masterPid).stream().anyMatch(fd -> {
            try {
                return Procs.fdTarget(masterPid, fd).equals(inode);
            } catch (RuntimeException e) {
                return false;
            }
        })).as("the master holds the listener %s", inode).isTrue();
        return inode;
    }

    @Test
    void steps1To3UpgradeFromADeletedDirectoryAndRefuseAWrapperThatClosesFds() throws Exception {
        Path r1 = Files.createDirectory(dir.resolve("r1")), r2 = Files.createDirectory(dir.resolve("r2"));
        Workers.wrapper(r1, "w");
        Workers.wrapper(r2, "w");
        Path current = dir.resolve("current");
        Workers.relink(current, r1.getFileName());
        Path wrap = Workers.script(dir, "wrap", "#!/bin/sh\ncd " + current + " || exit 1\nexec " + Env.einhorn() + " \"$@\"\n");
        int port = Ports.free();
        try (Master m = Master.builder(dir).prefix("sh", "-c", "cd " + current + " && exec \"$0\" \"$@\"")
                .args("-n", "2", "-m", "manual", "-s", "0.2", "-b", "127.0.0.1:" + port + ",r", "--reexec-as=" + wrap, "--", "./w")
                .start()) {
            await().atMost(T).until(() -> m.state().settled(2));
            // step 1
            String inode = listener(m.pid(), m.state().pids().getFirst());
            // step 2, with a sampler checking that the port stays bound throughout
            AtomicBoolean stop = new AtomicBoolean(), unbound = new AtomicBoolean();
            Thread sampler = Thread.ofPlatform().daemon().start(() -> {
                while (!stop.get()) {
                    if (Ports.unbound(port)) unbound.set(true);
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            List<Long> before = m.state().pids();
            Workers.relink(current, r2.getFileName());
            rmrf(r1);
            Shell.Result up = Shell.exec(m.sock, "upgrade", T);
            assertThat(up.exit()).as(up.toString()).isZero();
            assertThat(up.outLines().getLast()).isEqualTo("Upgrade done");
            await().atMost(T).until(() -> m.state().settled(2) && m.workers().size() == 2 && before.stream().noneMatch(Procs::alive));
            stop.set(true);
            sampler.join();
            assertThat(unbound.get()).as("port %d unbound at some point", port).isFalse();
            List<Long> upgraded = m.state().pids();
            assertThat(listener(m.pid(), upgraded.getFirst())).isEqualTo(inode);
            for (long p : upgraded) assertThat(Procs.cwd(p)).as("cwd of %d", p).isEqualTo(r2.toRealPath().toString());
            assertThat(m.state().version()).isEqualTo(1);

            // step 3: the wrapper closes every descriptor above 2 before its exec
            Workers.script(dir, "wrap", "#!/bin/sh\ncd " + current + " || exit 1\nexec " + Env.python()
                    + " -c 'import os, sys; os.closerange(3, 65536); os.execv(sys.argv[1], sys.argv[1:])' " + Env.einhorn() + " \"$@\"\n");
            Shell.Result refused = Shell.exec(m.sock, "upgrade", T);
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
            assertThat(refused.outLines().getLast()).startsWith("Upgrade aborted: master reload failed (")
                    .contains("the re-exec did not pass the inherited descriptors");
            assertThat(m.alive()).isTrue();
            State s = m.state();
            assertThat(s.pids()).containsExactlyElementsOf(upgraded);
            assertThat(s.settled(2)).isTrue();
            assertThat(s.version()).isEqualTo(1);
            assertThat(listener(m.pid(), upgraded.getFirst())).isEqualTo(inode);
            assertThat(Ports.unbound(port)).isFalse();
            assertThat(m.logLines("already in use")).isEmpty();
            assertThat(m.logLines("ERROR: Can not initiate einhorn master reload safely.*inherited descriptors")).hasSize(1);
            assertThat(Shell.exec(m.sock, "ehlo", T).exit()).isZero();
        }
    }
}
