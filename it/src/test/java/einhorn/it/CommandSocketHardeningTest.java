package einhorn.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command socket's defences (SPEC §5.1, §5.3, §6.7; README "einhornsh and the commands"):
 * mode 0600 whatever the umask, SO_PEERCRED refusal of other users, acks and pings for pids that
 * are not live workers, the connection limit, the queued-reply limit for clients that never read,
 * the line limit, and slow clients that never stall the loop. One shared master with two acked
 * workers serves most tests; after each, it must still serve the very same workers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandSocketHardeningTest {
    static final Duration T = Duration.ofSeconds(20);
    static final int NOBODY = 65534;
    Path dir;
    Master m;
    List<Long> workers;

    @BeforeAll
    void start(@TempDir Path tmp) throws IOException {
        dir = tmp;
        // the other user must be able to reach the socket file once a test opens its mode
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path ok = Workers.wrapper(dir, "ok", "ack=0");
        m = Master.start(dir, "-n", "2", "-m", "manual", "--", ok.toString());
        await().atMost(T).until(() -> m.state().settled(2));
        workers = m.state().pids();
    }

    @AfterEach
    void sameWorkersStillServed() throws IOException {
        if (Files.exists(m.sock)) Files.setPosixFilePermissions(m.sock, PosixFilePermissions.fromString("rw-------"));
        assertThat(m.alive()).as("master alive; log:\n%s", m.tail()).isTrue();
        State s = m.state();
        assertThat(s.pids()).containsExactlyInAnyOrderElementsOf(workers);
        assertThat(s.children()).allSatisfy(c -> {
            assertThat(c.acked()).isTrue();
            assertThat(c.signaled()).isEmpty();
        });
        assertThat(m.workers()).containsExactlyInAnyOrderElementsOf(workers);
        assertThat(m.zombies()).isEmpty();
    }

    @AfterAll
    void stop() {
        if (m != null) m.close();
    }

    // ------------------------------------------------------------------ file mode

    @ParameterizedTest(name = "umask {0}")
    @ValueSource(strings = {"000", "002", "022", "077", "777"})
    void theSocketFileIsMode0600WhateverTheUmask(String umask, @TempDir Path d) throws IOException {
        try (Master x = Master.builder(d).prefix("/bin/sh", "-c", "umask " + umask + " && exec \"$@\"", "sh")
                .args("-m", "0", "--", "/bin/sleep", "1000").start()) {
            await().atMost(T).until(() -> x.state().children().size() == 1);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(x.sock)))
                    .as("mode of %s under umask %s", x.sock, umask).isEqualTo("rw-------");
        }
    }

    // ------------------------------------------------------------------ other users

    /** Connects as uid 65534, sends nothing, prints what the master says and how it ends. */
    static final String AS_OTHER_USER = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX)
            try:
                s.connect(sys.argv[1])
            except OSError as e:
                print("CONNECT-ERROR %d" % e.errno); sys.exit(0)
            s.settimeout(10)
            buf = b""
            try:
                while True:
                    d = s.recv(65536)
                    if not d: break
                    buf += d
                end = "EOF"
            except socket.timeout:
                end = "TIMEOUT"
            except OSError as e:
                end = "RECV-ERROR %d" % e.errno
            print("LINES %d" % buf.count(b"\\n"))
            sys.stdout.write(buf.decode("utf-8", "replace"))
            print(end)
            """;

    static String asOtherUser(Path sock) {
        return Procs.output("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                Env.python(), "-c", AS_OTHER_USER, sock.toString());
    }

    @Test
    void anotherUserCannotEvenConnectThroughTheFileMode() {
        assertThat(asOtherUser(m.sock).trim()).isEqualTo("CONNECT-ERROR 13"); // EACCES
    }

    @Test
    void anotherUserIsRefusedByThePeerCredentialCheckWithOneErrorLine() throws IOException {
        // open the file mode, so the refusal must come from the master's SO_PEERCRED check
        Files.setPosixFilePermissions(m.sock, PosixFilePermissions.fromString("rw-rw-rw-"));
        String out = asOtherUser(m.sock);
        List<String> lines = out.lines().toList();
        assertThat(lines).as(out).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("LINES 1");
        Reply r = Reply.parse(Ctl.decode(lines.get(1)));
        assertThat(r.message()).startsWith("Permission denied: uid " + NOBODY + " may not use this Einhorn master");
        assertThat(r.isError()).isTrue();
        assertThat(r.requestId()).isNull();
        assertThat(lines.get(2)).as("the master closes the connection").isIn("EOF", "RECV-ERROR 104");
        assertThat(m.logLines("uid " + NOBODY)).as("the refusal is logged").isNotEmpty();
        // and the owner (root here) is still served
        assertThat(Ctl.request(m.sock, "{\"command\":\"ehlo\",\"user\":\"root\"}").isError()).isFalse();
    }

    // ------------------------------------------------------------------ acks and pings

    @Test
    void acksAndPingsForPidsThatAreNotLiveWorkersAreLoggedAndIgnored() {
        long self = ProcessHandle.current().pid();
        long unused = 4_000_000; // above any pid_max Linux allows
        String[] bodies = {
            "{\"command\":\"worker:ack\",\"pid\":" + unused + "}",
            "{\"command\":\"worker:ack\",\"pid\":" + self + "}",
            "{\"command\":\"worker:ack\",\"pid\":" + m.pid() + "}",
            "{\"command\":\"worker:ack\",\"pid\":0}",
            "{\"command\":\"worker:ack\",\"pid\":-1}",
            "{\"command\":\"worker:ack\",\"pid\":\"" + workers.getFirst() + "\"}",
            "{\"command\":\"worker:ack\"}",
            "{\"command\":\"worker:ping\",\"pid\":" + unused + ",\"request_id\":7}",
            "{\"command\":\"worker:ping\",\"pid\":" + self + "}",
            "{\"command\":\"worker:ping\",\"pid\":99999999999999999999}",
        };
        for (String body : bodies) {
            try (Ctl c = Ctl.connect(m.sock)) {
                c.send(body);
                assertThat(c.readLine(Ctl.TIMEOUT)).as("no reply, just a close, for %s", body).isNull();
            }
        }
        for (long pid : new long[] {unused, self, m.pid()}) {
            await().atMost(T).until(() -> m.logLines("(?i)(ack|ping) from (unknown pid )?" + pid + "\\b").size() >= (pid == unused || pid == self ? 2 : 1));
        }
    }

    @Test
    void aRepeatAckForAnAckedWorkerIsLoggedAndIgnored() {
        // the ack names a worker's pid: it is a repeat, so it is logged and changes nothing
        try (Ctl c = Ctl.connect(m.sock)) {
            c.send("{\"command\":\"worker:ack\",\"pid\":" + workers.getFirst() + "}");
            assertThat(c.readLine(Ctl.TIMEOUT)).isNull();
        }
        await().atMost(T).until(() -> !m.logLines("\\b" + workers.getFirst() + "\\b.*already ACKed").isEmpty());
    }

    // ------------------------------------------------------------------ connection limit

    @Test
    void theDefaultLimitIsAThousandConnections() throws IOException {
        List<SocketChannel> open = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) open.add(SocketChannel.open(UnixDomainSocketAddress.of(m.sock)));
            try (Ctl extra = Ctl.connect(m.sock)) {
                Reply r = extra.readReply();
                assertThat(r.message()).isEqualTo("Too many command connections (limit 1000); closing connection");
                assertThat(r.isError()).isTrue();
                assertThat(extra.readLine(Ctl.TIMEOUT)).isNull();
            }
            open.removeLast().close();
            // the slot is free again once the master has seen the close
            await().atMost(T).until(() -> !Ctl.request(m.sock, "{\"command\":\"help\"}").isError());
        } finally {
            for (SocketChannel ch : open) ch.close();
        }
        assertThat(m.logLines("--max-connections 1000")).isNotEmpty();
    }

    @Test
    void maxConnectionsRefusesConnectionNPlusOneOnly(@TempDir Path d) {
        try (Master x = Master.start(d, "--max-connections", "5", "-m", "0", "--", "/bin/sleep", "1000")) {
            await().atMost(T).until(() -> x.state().children().size() == 1);
            List<Ctl> five = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) five.add(Ctl.connect(x.sock));
                // prove each of the five is served (so all are accepted) before the sixth comes
                for (Ctl c : five) assertThat(c.send("{\"command\":\"help\",\"id\":1}").readReply().isError()).isFalse();
                try (Ctl sixth = Ctl.connect(x.sock)) {
                    Reply r = sixth.readReply();
                    assertThat(r.message()).isEqualTo("Too many command connections (limit 5); closing connection");
                    assertThat(r.isError()).isTrue();
                    assertThat(sixth.readLine(Ctl.TIMEOUT)).isNull();
                }
                // the five still work
                for (Ctl c : five) assertThat(c.send("{\"command\":\"state\",\"id\":2}").readReply().requestId()).isEqualTo(2);
                five.removeFirst().close();
                await().atMost(T).until(() -> !Ctl.request(x.sock, "{\"command\":\"help\"}").isError());
            } finally {
                five.forEach(Ctl::close);
            }
            assertThat(x.alive()).isTrue();
        }
    }

    // ------------------------------------------------------------------ clients that never read

    @Test
    void aClientThatNeverReadsIsDroppedOnceFourMebibytesAreQueued() throws Exception {
        long rssBefore = rssKb(m.pid());
        byte[] chunk = "{\"command\":\"state\"}\n".repeat(500).getBytes(StandardCharsets.US_ASCII);
        AtomicLong sent = new AtomicLong();
        AtomicBoolean writeFailed = new AtomicBoolean();
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(m.sock))) {
            Thread writer = Thread.ofPlatform().daemon().start(() -> {
                try {
                    for (int i = 0; i < 200 && !Thread.currentThread().isInterrupted(); i++) { // at most 100,000 requests
                        ByteBuffer b = ByteBuffer.wrap(chunk);
                        while (b.hasRemaining()) ch.write(b);
                        sent.addAndGet(500);
                    }
                } catch (IOException e) {
                    writeFailed.set(true); // EPIPE/ECONNRESET: the master dropped us
                }
            });
            // meanwhile the master answers others promptly
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                assertThat(Ctl.request(m.sock, "{\"command\":\"state\"}").isError()).isFalse();
                assertThat((System.nanoTime() - t0) / 1_000_000).as("state latency (ms) beside the flooder").isLessThan(2000);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> !m.logLines("Dropping command connection \\d+: it has not read").isEmpty());
            writer.join(30_000);
            assertThat(writer.isAlive()).as("the writer is unblocked once the master drops the connection").isFalse();
            // now read what was delivered: it ends with EOF (or a reset), well short of all the replies
            long got = 0;
            ch.configureBlocking(true);
            ByteBuffer b = ByteBuffer.allocate(1 << 16);
            try {
                int n;
                while ((n = ch.read(b)) > 0) {
                    got += n;
                    b.clear();
                }
            } catch (IOException reset) {
                // ECONNRESET: fine, the master closed with our requests unread
            }
            long stateReply = Ctl.request(m.sock, "{\"command\":\"state\"}").raw().length();
            assertThat(got).as("bytes delivered").isLessThan(sent.get() * stateReply);
        }
        String line = m.logLines("Dropping command connection \\d+: it has not read").getFirst().text();
        assertThat(line).contains("limit 4194304");
        assertThat(rssKb(m.pid()) - rssBefore).as("master RSS growth (KiB)").isLessThan(128 * 1024);
    }

    // ------------------------------------------------------------------ line limit

    @Test
    void aLineOverOneMebibyteGetsLineTooLongAndACloseNothingElse() {
        try (Ctl big = Ctl.connect(m.sock); Ctl other = Ctl.connect(m.sock)) {
            other.sendRaw("{\"command\":\"state\",\"id\":");
            byte[] junk = new byte[1024 * 1024 + 2];
            java.util.Arrays.fill(junk, (byte) 'x');
            big.trySendRaw(junk, Duration.ofSeconds(20));
            Reply r = big.readReply();
            assertThat(r.message()).isEqualTo("Line too long (more than 1048576 bytes); closing connection");
            assertThat(r.isError()).isTrue();
            assertThat(r.requestId()).isNull();
            assertThat(big.readLine(Ctl.TIMEOUT)).isNull();
            // a partial line on another connection is untouched
            other.sendRaw("5}\n");
            assertThat(other.readReply().requestId()).isEqualTo(5);
        }
    }

    // ------------------------------------------------------------------ slow clients

    @Test
    void clientsDribblingOneByteASecondNeverStallTheLoop() throws Exception {
        byte[] req = "{\"command\":\"state\",\"id\":9}\n".getBytes(StandardCharsets.US_ASCII);
        List<Ctl> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) slow.add(Ctl.connect(m.sock));
            List<Long> latencies = new ArrayList<>();
            for (int s = 0; s < 6; s++) { // six seconds of dribbling: byte s of the request on each slow client
                for (Ctl c : slow) c.sendRaw(new byte[] {req[s]});
                for (int k = 0; k < 4; k++) {
                    long t0 = System.nanoTime();
                    assertThat(Ctl.request(m.sock, "{\"command\":\"state\"}").isError()).isFalse();
                    latencies.add((System.nanoTime() - t0) / 1_000_000);
                    Thread.sleep(250 - Math.min(240, latencies.getLast()));
                }
            }
            assertThat(latencies).as("state latencies (ms) while 20 clients dribble").allSatisfy(ms -> assertThat(ms).isLessThan(1000));
            // the dribbled requests complete normally
            for (Ctl c : slow) c.sendRaw(java.util.Arrays.copyOfRange(req, 6, req.length));
            for (Ctl c : slow) assertThat(c.readReply().requestId()).isEqualTo(9);
        } finally {
            slow.forEach(Ctl::close);
        }
    }

    static long rssKb(long pid) {
        String v = Procs.status(pid).get("VmRSS");
        return Long.parseLong(v.replace("kB", "").trim());
    }
}
