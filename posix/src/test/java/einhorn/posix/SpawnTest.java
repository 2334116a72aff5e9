package einhorn.posix;

import static einhorn.posix.Proc.fdTable;
import static einhorn.posix.Proc.fdTarget;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpawnTest {
    private static final String SELF = "self";

    /** The standard fds this JVM has; a child inherits exactly these. */
    private static Set<Integer> stdFds() {
        Set<Integer> std = new TreeSet<>();
        for (int fd = 0; fd <= 2; fd++) {
            if (fdTarget(SELF, fd) != null) {
                std.add(fd);
            }
        }
        return std;
    }

    private static Set<Integer> expectedTable(int mapped) {
        Set<Integer> fds = stdFds();
        for (int i = 0; i < mapped; i++) {
            fds.add(3 + i);
        }
        return fds;
    }

    /** Spawns sleep with the given fds and waits until its fd table has settled on the expected one. */
    private static int spawnSleeper(int[] fds, List<String> env) {
        int pid = Spawn.spawn(Proc.sleepPath(), List.of("sleep", "30"), env, fds);
        String p = Integer.toString(pid);
        Set<Integer> expected = expectedTable(fds.length);
        AtomicReference<Set<Integer>> last = new AtomicReference<>();
        try {
            Proc.await("fd table " + expected + " of child", () -> {
                last.set(fdTable(p));
                return last.get().equals(expected);
            });
        } catch (AssertionError e) {
            Proc.killAndReap(pid);
            throw new AssertionError("child fd table " + last.get() + ", expected " + expected, e);
        }
        return pid;
    }

    @Test
    void childGetsOnlyStdioAndTheMappedFdsInOrder() {
        int[] a = Sockets.socketPair();
        int[] b = Sockets.socketPair();
        try {
            int pid = spawnSleeper(new int[] {a[1], b[1]}, List.of("A=1"));
            try {
                String p = Integer.toString(pid);
                assertThat(fdTarget(p, 3)).isEqualTo(fdTarget(SELF, a[1])).startsWith("socket:");
                assertThat(fdTarget(p, 4)).isEqualTo(fdTarget(SELF, b[1])).startsWith("socket:");
            } finally {
                Proc.killAndReap(pid);
            }
        } finally {
            Proc.closeAll(a[0], a[1], b[0], b[1]);
        }
    }

    @Test
    void sourcesThatAreAlsoTargetsAreNotClobbered() {
        // The JVM's own fds 3, 4 and 5 (jars, the modules image...) swapped around: fd 3 must
        // end up as our 5 although 5 is itself a source that lands on 3.
        int[] sources = {5, 4, 3};
        for (int fd : sources) {
            // AssertJ's assumeThat would cost seconds of proxy generation; JUnit's is plain.
            assumeTrue(fdTarget(SELF, fd) != null, "JVM has fd " + fd);
        }
        String[] identities = new String[sources.length];
        for (int i = 0; i < sources.length; i++) {
            identities[i] = identity(SELF, sources[i]);
        }
        assumeTrue(new java.util.HashSet<>(List.of(identities)).size() == sources.length,
                "JVM fds 3..5 are distinguishable");
        int pid = spawnSleeper(sources, List.of());
        try {
            String p = Integer.toString(pid);
            for (int i = 0; i < sources.length; i++) {
                assertThat(identity(p, 3 + i)).as("child fd %d", 3 + i).isEqualTo(identities[i]);
            }
        } finally {
            Proc.killAndReap(pid);
        }
    }

    /** Target, inode and flags: tells apart two fds even on the same file in most cases. */
    private static String identity(String pid, int fd) {
        String target = fdTarget(pid, fd);
        String ino = Proc.lines("/proc/" + pid + "/fdinfo/" + fd).stream()
                .filter(l -> l.startsWith("ino:") || l.startsWith("pos:"))
                .reduce("", String::concat);
        return target + " " + ino;
    }

    @Test
    void manyReversedSocketsWhoseNumbersCollideWithTargets() {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int[] pair = Sockets.socketPair();
            all.add(pair[0]);
            all.add(pair[1]);
        }
        try {
            int[] fds = all.reversed().stream().mapToInt(Integer::intValue).toArray();
            // Some sources must lie inside the target range 3..3+n-1, or this proves little.
            int n = fds.length;
            assertThat(all).anyMatch(fd -> fd < 3 + n);
            int pid = spawnSleeper(fds, List.of());
            try {
                String p = Integer.toString(pid);
                for (int i = 0; i < n; i++) {
                    assertThat(fdTarget(p, 3 + i)).as("child fd %d", 3 + i)
                            .isEqualTo(fdTarget(SELF, fds[i]));
                }
            } finally {
                Proc.killAndReap(pid);
            }
        } finally {
            Proc.closeAll(all.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    @Test
    void noFdsMeansOnlyStdio() {
        int pid = spawnSleeper(new int[0], List.of());
        Proc.killAndReap(pid);
    }

    @Test
    void lsInTheChildSeesOnlyStdioTheMappedFdAndItsOwnDirectory() {
        // ls's fd 1 is the report socket (dup of 3); 4 is the directory ls opened to list.
        String out = Proc.runReporting("ls /proc/self/fd >&3");
        Set<Integer> seen = new TreeSet<>();
        out.lines().forEach(l -> seen.add(Integer.parseInt(l.trim())));
        Set<Integer> expected = stdFds();
        expected.add(1);
        expected.add(3);
        expected.add(4);
        assertThat(seen).isEqualTo(expected);
    }

    @Test
    void childHasEmptyMaskDefaultDispositionsAndItsOwnProcessGroup() throws Exception {
        // Make the parent's state dirty: the spawning thread blocks two signals and the
        // process ignores SIGTTIN. None of it may reach the child.
        int ttin = Signal.TTIN.number();
        TestLibc.ignore(ttin);
        try {
            AtomicReference<Object> result = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    Signals.block(Signal.WINCH.number(), Signal.URG.number());
                    result.set(spawnSleeper(new int[0], List.of()));
                } catch (Throwable e) {
                    result.set(e);
                }
            });
            t.join();
            if (result.get() instanceof Throwable e) {
                throw new AssertionError(e);
            }
            int pid = (Integer) result.get();
            try {
                String p = Integer.toString(pid);
                assertThat(Proc.statusMask(p, "SigBlk")).as("SigBlk").isZero();
                assertThat(Proc.statusMask(p, "SigIgn") & 0x7fff_ffffL).as("SigIgn 1..31").isZero();
                assertThat(Proc.statusMask(SELF, "SigIgn") & SigSet.bit(ttin)).isNotZero();
                assertThat(Proc.statFields(p)[2]).as("pgrp").isEqualTo(p);
            } finally {
                Proc.killAndReap(pid);
            }
        } finally {
            Signals.setDefault(ttin);
        }
    }

    @Test
    void argvAndEnvironmentArriveExactlyAndInUtf8() {
        int pid = Spawn.spawn(Proc.sleepPath(), List.of("schläfer", "30"),
                List.of("A=1", "GRÜSSE=grüß dich", "EMPTY="), new int[0]);
        try {
            String p = Integer.toString(pid);
            byte[] cmdline = "schläfer\u000030\u0000".getBytes(StandardCharsets.UTF_8);
            byte[] environ = "A=1\u0000GRÜSSE=grüß dich\u0000EMPTY=\u0000"
                    .getBytes(StandardCharsets.UTF_8);
            // posix_spawn returns once the child's exec has replaced its memory, a moment
            // before the kernel has laid out the new argv and environment: until then
            // cmdline and environ read empty.
            Proc.await("child's argv and env", () ->
                    Arrays.equals(Proc.readBytes("/proc/" + p + "/environ"), environ));
            assertThat(Proc.readBytes("/proc/" + p + "/cmdline")).isEqualTo(cmdline);
            assertThat(Proc.readBytes("/proc/" + p + "/environ")).isEqualTo(environ);
        } finally {
            Proc.killAndReap(pid);
        }
    }

    @Test
    void shellSeesArgumentsAndEnvironment() {
        String out = Proc.runReporting("printf '%s|%s|%s' \"$0\" \"$1\" \"$PATH\" >&3", "ünï");
        assertThat(out).isEqualTo("sh|ünï|/usr/bin:/bin");
    }

    @Test
    void missingPathThrowsEnoentAndLeavesNoZombie() {
        assertThatThrownBy(() -> Spawn.spawn("/nonexistent/einhorn-worker",
                List.of("worker"), List.of(), new int[0]))
                .isInstanceOfSatisfying(ErrnoException.class, e -> {
                    assertThat(e.errno()).isEqualTo(ErrnoException.ENOENT);
                    assertThat(e.call()).isEqualTo("posix_spawn /nonexistent/einhorn-worker");
                    assertThat(e.getMessage()).isEqualTo(
                            "posix_spawn /nonexistent/einhorn-worker: No such file or directory");
                });
        assertThat(Proc.zombieChildren()).isEmpty();
        assertThat(Processes.waitAny()).isNull();
    }

    @Test
    void nonExecutableFileThrowsEacces(@TempDir Path dir) throws IOException {
        Path script = Files.writeString(dir.resolve("not-executable"), "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> Spawn.spawn(script.toString(), List.of("x"), List.of(),
                new int[0]))
                .isInstanceOfSatisfying(ErrnoException.class,
                        e -> assertThat(e.errno()).isEqualTo(ErrnoException.EACCES));
        assertThat(Proc.zombieChildren()).isEmpty();
    }

    @Test
    void badSourceFdIsReported() {
        assertThatThrownBy(() -> Spawn.spawn(Proc.sleepPath(), List.of("sleep", "0"), List.of(),
                new int[] {-1}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void childExitCodeComesBack() {
        int pid = Spawn.spawn(Proc.SH, List.of("sh", "-c", "exit 7"), List.of(), new int[0]);
        ExitStatus status = Proc.awaitExit(pid);
        assertThat(status.pid()).isEqualTo(pid);
        assertThat(status.exitCode()).isEqualTo(7);
    }

    @Test
    void planReusesItsArgvAndEnvironmentAndSetsTheSlotPerSpawn(@TempDir Path dir) {
        int[] pair = Sockets.socketPair();
        try {
            Spawn.Plan plan = Spawn.Plan.of(Proc.SH,
                    List.of("sh", "-c", "printf '%s %s %s' \"$A\" \"$IDX\" \"$(readlink /proc/self/fd/3)\" > \"$0\"",
                            dir.resolve("out").toString()),
                    List.of("A=kept", "IDX=placeholder", "B=2"), "IDX=");
            for (String idx : List.of("0", "17", "3")) {
                int pid = plan.spawn(new int[] {pair[1]}, idx);
                assertThat(Proc.awaitExit(pid).exitCode()).isZero();
                assertThat(Proc.readString(dir.resolve("out").toString()))
                        .isEqualTo("kept " + idx + " " + fdTarget(SELF, pair[1]));
            }
            // null leaves the last value in place
            int pid = plan.spawn(new int[] {pair[1]}, null);
            assertThat(Proc.awaitExit(pid).exitCode()).isZero();
            assertThat(Proc.readString(dir.resolve("out").toString())).startsWith("kept 3 ");
        } finally {
            Proc.closeAll(pair[0], pair[1]);
        }
    }

    @Test
    void planRefusesWhatItCannotCarry() {
        assertThatThrownBy(() -> Spawn.Plan.of(Proc.SH, List.of("sh"), List.of("A=1"), "IDX="))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IDX=");
        Spawn.Plan plan = Spawn.Plan.of(Proc.SH, List.of("sh", "-c", "exit 0"), List.of("IDX=0"), "IDX=");
        assertThatThrownBy(() -> plan.spawn(new int[0], "\u00e9")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> plan.spawn(new int[0], "x".repeat(300))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> plan.spawn(new int[] {-1}, "1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Spawn.Plan.of("/nonexistent/x", List.of("x"), List.of(), null).spawn(new int[0], null))
                .isInstanceOfSatisfying(ErrnoException.class,
                        e -> assertThat(e.errno()).isEqualTo(ErrnoException.ENOENT));
        assertThat(Proc.zombieChildren()).isEmpty();
    }
}
