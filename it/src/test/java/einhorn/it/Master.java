package einhorn.it;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A real {@code bin/einhorn} started as a child of the test JVM, with its files inside one scratch
 * directory ({@code -d DIR/s -e DIR/pid -f DIR/lock}). Stdout and stderr are captured line by line.
 * {@link #close()} kills the master and every process that carries this master's socket path in its
 * environment (its workers, orphaned ones included), so nothing outlives a test.
 */
final class Master implements AutoCloseable {
    static {
        // Conditions often read the command socket before it exists: retry instead of failing.
        org.awaitility.Awaitility.ignoreExceptionsByDefault();
        org.awaitility.Awaitility.setDefaultPollInterval(Duration.ofMillis(50));
        org.awaitility.Awaitility.setDefaultPollDelay(Duration.ZERO);
    }

    final Path dir;
    final Path sock;
    final Path pidfile;
    final Path lockfile;
    final List<String> command;
    private final Process process;
    private final List<Line> err = new CopyOnWriteArrayList<>();
    private final List<Line> out = new CopyOnWriteArrayList<>();
    private final List<Thread> readers = new ArrayList<>();

    private Master(Path dir, List<String> command, Map<String, String> env) {
        this.dir = dir;
        this.sock = dir.resolve("s");
        this.pidfile = dir.resolve("pid");
        this.lockfile = dir.resolve("lock");
        this.command = List.copyOf(command);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        readers.add(pump(process.getErrorStream(), err, "einhorn-stderr"));
        readers.add(pump(process.getInputStream(), out, "einhorn-stdout"));
    }

    /** {@code bin/einhorn -d DIR/s -e DIR/pid -f DIR/lock ARGS...}. */
    static Master start(Path dir, String... args) {
        return builder(dir).args(args).start();
    }

    static Builder builder(Path dir) {
        return new Builder(dir);
    }

    static final class Builder {
        private final Path dir;
        private final List<String> prefix = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private boolean files = true;

        private Builder(Path dir) {
            this.dir = dir;
        }

        /** Words put before the launcher, e.g. {@code env -i PATH=/usr/bin:/bin}. */
        Builder prefix(String... words) {
            prefix.addAll(List.of(words));
            return this;
        }

        Builder args(String... words) {
            args.addAll(List.of(words));
            return this;
        }

        Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /** Do not add {@code -d/-e/-f}: the arguments are exactly what the test gives. */
        Builder noFiles() {
            files = false;
            return this;
        }

        Master start() {
            List<String> cmd = new ArrayList<>(prefix);
            cmd.add(Env.einhorn());
            if (files) {
                cmd.addAll(List.of("-d", dir.resolve("s").toString(), "-e", dir.resolve("pid").toString(),
                        "-f", dir.resolve("lock").toString()));
            }
            cmd.addAll(args);
            return new Master(dir, cmd, env);
        }
    }

    private static Thread pump(InputStream in, List<Line> sink, String name) {
        Thread t = Thread.ofPlatform().daemon().name(name).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String s; (s = r.readLine()) != null; ) sink.add(new Line(System.nanoTime(), s));
            } catch (IOException e) {
                // the stream closed under us; nothing more to read
            }
        });
        return t;
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    boolean alive() {
        return process.isAlive();
    }

    List<Line> stderr() {
        return Collections.unmodifiableList(err);
    }

    List<Line> stdout() {
        return Collections.unmodifiableList(out);
    }

    String stderrText() {
        StringBuilder sb = new StringBuilder();
        for (Line l : err) sb.append(l.text()).append('\n');
        return sb.toString();
    }

    String stdoutText() {
        StringBuilder sb = new StringBuilder();
        for (Line l : out) sb.append(l.text()).append('\n');
        return sb.toString();
    }

    /** stderr lines that contain a match of {@code regex}. */
    List<Line> logLines(String regex) {
        Pattern p = Pattern.compile(regex);
        return err.stream().filter(l -> p.matcher(l.text()).find()).toList();
    }

    /** Waits until a stderr line matches {@code regex}, and returns the first such line. */
    Line waitForLog(String regex, Duration timeout) {
        return waitForLog(regex, 1, timeout).getFirst();
    }

    /** Waits until at least {@code count} stderr lines match, and returns them all. */
    List<Line> waitForLog(String regex, int count, Duration timeout) {
        await("log line /" + regex + "/ x" + count + " from einhorn; log so far:\n" + tail())
                .atMost(timeout).pollInterval(Duration.ofMillis(20))
                .until(() -> logLines(regex).size() >= count);
        return logLines(regex);
    }

    String tail() {
        List<Line> l = List.copyOf(err);
        StringBuilder sb = new StringBuilder();
        for (Line x : l.subList(Math.max(0, l.size() - 40), l.size())) sb.append("  | ").append(x.text()).append('\n');
        return sb.toString();
    }

    /** Waits for the master to exit and returns its status, or fails after {@code timeout}. */
    int waitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("einhorn (pid " + pid() + ") still running after " + timeout + "; log:\n" + tail());
            }
            for (Thread t : readers) t.join(2000);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    boolean signal(String sig) {
        return Procs.kill(pid(), sig);
    }

    /**
     * The master's live children (pgrep -P). Empty until the command socket exists: before that the
     * launcher script's own short-lived helpers (readlink, dirname) can be children of this pid.
     */
    List<Long> workers() {
        if (!java.nio.file.Files.exists(sock)) return List.of();
        return Procs.liveChildren(pid());
    }

    /** Zombie children of the master. */
    List<Long> zombies() {
        return Procs.zombieChildren(pid());
    }

    /** Every process whose environment names this master's socket: its workers, orphans included. */
    List<Long> processesOfThisMaster() {
        String want = sock.toString();
        List<Long> out = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        for (long pid : Procs.allPids()) {
            if (pid == self || pid == pid()) continue;
            if (want.equals(Procs.environ(pid).get("EINHORN_SOCK_PATH"))) out.add(pid);
        }
        return out;
    }

    State state() {
        return State.fetch(sock);
    }

    @Override
    public void close() {
        if (process.isAlive()) process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (int round = 0; round < 3; round++) {
            List<Long> left = processesOfThisMaster();
            if (left.isEmpty()) break;
            for (long pid : left) {
                long pgid = Procs.pgid(pid);
                if (pgid == pid) Procs.killGroup(pgid, "KILL");
                Procs.kill(pid, "KILL");
            }
        }
    }
}
