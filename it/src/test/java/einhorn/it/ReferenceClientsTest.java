package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §4.4, §5.2, §6.3: clients written the way the reference's own Ruby libraries work keep working
 * before and after reloads and upgrades. Needs Debian's {@code ruby} (.ci/run installs it).
 */
class ReferenceClientsTest {
    static final Duration T = Duration.ofSeconds(30);

    /**
     * A worker in Ruby that speaks the protocol itself, like Einhorn::Worker: it checks
     * EINHORN_MASTER_PID == getppid() before acking (ensure_worker!), then sends the framed YAML ack
     * over EINHORN_SOCK_PATH, or over EINHORN_SOCK_FD with {@code via=fd}; on USR1 it sends
     * worker:ping with request_id ping-N. Events go to DIR/events like {@link Workers}.
     */
    static final String WORKER_RB = """
            require "socket"
            LOG = File.join(File.dirname(File.expand_path(__FILE__)), "events")
            def log(ev)
              File.open(LOG, "a") { |f| f.write("#{ev} #{$$} #{Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond)} #{ENV.fetch("EINHORN_CHILD_INDEX", "-")}\\n") }
            end
            def send_command(yaml, via)
              line = yaml.gsub("%", "%25").gsub("\\n", "%0A") + "\\n"
              s = via == "fd" ? UNIXSocket.for_fd(Integer(ENV.fetch("EINHORN_SOCK_FD"))) : UNIXSocket.new(ENV.fetch("EINHORN_SOCK_PATH"))
              s.write(line)
              s.close
            end
            via = ARGV.include?("via=fd") ? "fd" : "path"
            unless ENV["EINHORN_MASTER_PID"].to_i == Process.ppid
              log("notworker")
              exit 3
            end
            pings = 0
            usr1 = false
            trap("USR2") { exit!(0) }
            trap("USR1") { usr1 = true }
            log("start")
            log("acking")
            send_command("---\\ncommand: worker:ack\\npid: #{$$}\\n", via)
            loop do
              if usr1
                usr1 = false
                pings += 1
                send_command("---\\ncommand: worker:ping\\npid: #{$$}\\nrequest_id: ping-#{pings}\\n", "path")
                log("ping#{pings}")
              end
              sleep 0.02
            end
            """;

    @TempDir
    Path dir;

    private Path rubyWorker(String name, String... args) {
        Path rb = Workers.script(dir, "worker.rb", WORKER_RB.stripIndent());
        return Workers.script(dir, name, "#!/bin/sh\nexec ruby " + rb + " " + String.join(" ", args) + "\n");
    }

    private static void reloadAndIncrement(Master m, int n) {
        Shell.Result r = Shell.exec(m.sock, "reload; inc", T);
        assertThat(r.exit()).as(r.toString()).isZero();
        await().atMost(T).until(() -> m.state().settled(n + 1) && m.workers().size() == n + 1);
    }

    private static void upgrade(Master m, int n, int version) {
        Shell.Result r = Shell.exec(m.sock, "upgrade", T);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.outLines().getLast()).isEqualTo("Upgrade done");
        await().atMost(T).until(() -> m.state().settled(n) && m.state().version() == version && m.workers().size() == n);
    }

    @Test
    void aRubyWorkerThatChecksItsParentAndAcksWithFramedYamlWorksAcrossReloadsAndUpgrades() {
        Path w = rubyWorker("rw");
        try (Master m = Master.start(dir, "-n", "1", "-m", "manual", "-s", "0.2", "--", w.toString())) {
            await().atMost(T).until(() -> m.state().settled(1));
            reloadAndIncrement(m, 1);
            upgrade(m, 2, 1);
            assertThat(Events.of(dir, "notworker")).isEmpty();
            assertThat(Events.of(dir, "acking")).hasSize(4);
            assertThat(m.logLines("Could not parse|ERROR")).isEmpty();
        }
    }

    @Test
    void aWorkerAckingOverTheCommandFdWorksAcrossReloadsAndUpgrades() {
        Path w = rubyWorker("rwfd", "via=fd");
        try (Master m = Master.start(dir, "-g", "-n", "1", "-m", "manual", "-s", "0.2", "--", w.toString())) {
            await().atMost(T).until(() -> m.state().settled(1));
            reloadAndIncrement(m, 1);
            upgrade(m, 2, 1);
            assertThat(Events.of(dir, "notworker")).isEmpty();
            assertThat(m.logLines("ERROR")).isEmpty();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Master m, long pid) {
        return (Map<String, Object>) ((Map<String, Object>) m.state().get("children")).get(Long.toString(pid));
    }

    @Test
    void workerPingRecordsPingedAtAndRequestIdAcrossAReload() {
        Path w = rubyWorker("rw");
        try (Master m = Master.start(dir, "-n", "1", "-m", "manual", "-s", "0.2", "--", w.toString())) {
            await().atMost(T).until(() -> m.state().settled(1));
            long pid = m.state().pids().getFirst();
            assertThat(child(m, pid)).containsEntry("pinged_at", null).containsEntry("pinged_request_id", null);
            Procs.kill(pid, "USR1");
            await().atMost(T).until(() -> "ping-1".equals(child(m, pid).get("pinged_request_id")));
            String first = (String) child(m, pid).get("pinged_at");
            assertThat(first).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z");
            Shell.Result r = Shell.exec(m.sock, "reload", T);
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(child(m, pid)).containsEntry("pinged_request_id", "ping-1");
            // the time survives the hand-over (as CLOCK_MONOTONIC, §9.4); its wall-clock rendering may move by the
            // jitter of the new image's clock offset
            long drift = java.time.Duration.between(java.time.Instant.parse(first),
                    java.time.Instant.parse((String) child(m, pid).get("pinged_at"))).abs().toNanos();
            assertThat(drift).as("pinged_at moved by %d ns across the reload", drift).isLessThan(5_000_000L);
            Procs.kill(pid, "USR1");
            await().atMost(T).until(() -> "ping-2".equals(child(m, pid).get("pinged_request_id")));
            assertThat((String) child(m, pid).get("pinged_at")).isGreaterThan(first);
            assertThat(child(m, pid)).containsEntry("acked", true);
        }
    }

    /** Loads the `state` YAML the way the reference's client does, and prints a few facts about it. */
    private static String rubySafeLoad(String yaml) {
        String script = """
                d = YAML.safe_load(STDIN.read, permitted_classes: [Symbol, Time], aliases: false)
                s = d.fetch(:state)
                puts d.keys.inspect
                puts s[:children].keys.sort.join(",")
                puts s[:version]
                puts s[:generation]
                puts s[:children].values.map { |c| [c[:type], c[:acked], c[:spinup_time].class, c[:signaled].class] }.uniq.inspect
                puts s[:config][:seconds].class
                """;
        try {
            Process p = new ProcessBuilder("ruby", "-ryaml", "-e", script).redirectErrorStream(true).start();
            p.getOutputStream().write(yaml.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("ruby: %s", out).isZero();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void assertRubyLoadsState(Master m, int generation) {
        String yaml = Ctl.request(m.sock, "{\"command\":\"state\"}").message();
        State s = m.state();
        String pids = String.join(",", s.pids().stream().map(String::valueOf).sorted().toList());
        assertThat(rubySafeLoad(yaml).lines().toList()).containsExactly(
                "[:state]", pids, Integer.toString(s.version()), Integer.toString(generation),
                "[[:worker, true, Time, Array]]", "Float");
    }

    @Test
    void rubySafeYamlLoadsTheStateBeforeAndAfterReloadsAndUpgrades() {
        Path w = Workers.wrapper(dir, "w");
        try (Master m = Master.start(dir, "-n", "2", "-m", "manual", "-s", "0.2", "--", w.toString())) {
            await().atMost(T).until(() -> m.state().settled(2));
            assertRubyLoadsState(m, 0);
            Shell.Result r = Shell.exec(m.sock, "reload", T);
            assertThat(r.exit()).as(r.toString()).isZero();
            assertRubyLoadsState(m, 1);
            upgrade(m, 2, 1);
            assertRubyLoadsState(m, 2);
        }
    }
}
