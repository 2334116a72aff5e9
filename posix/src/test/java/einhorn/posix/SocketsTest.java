package einhorn.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketsTest {
    private static final byte[] LOOPBACK = {127, 0, 0, 1};
    private static final int O_NONBLOCK = 04000;
    private static final int O_CLOEXEC = 02000000;

    @Test
    void tcpListenerAcceptsARealClient() throws IOException {
        int listener = Sockets.listenTcp4(LOOPBACK, 0, true, true, 16);
        try {
            int port = Sockets.localPort(listener);
            assertThat(port).isBetween(1, 65535);
            assertThat(Sockets.accept(listener)).as("nothing pending").isEqualTo(-1);
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
                int conn = Proc.awaitValue("a connection", () -> {
                    int fd = Sockets.accept(listener);
                    return fd < 0 ? null : fd;
                });
                try {
                    assertThat(Io.isNonBlocking(conn)).isTrue();
                    assertThat(Proc.fdFlags(conn) & O_CLOEXEC).isNotZero();
                    byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
                    assertThat(Io.write(conn, hello, 0, hello.length)).isEqualTo(5);
                    assertThat(client.getInputStream().readNBytes(5)).isEqualTo(hello);

                    client.getOutputStream().write("world".getBytes(StandardCharsets.US_ASCII));
                    byte[] buf = new byte[16];
                    int n = Proc.awaitValue("data", () -> {
                        int r = Io.read(conn, buf, 3, 10);
                        return r < 0 ? null : r;
                    });
                    assertThat(new String(buf, 3, n, StandardCharsets.US_ASCII)).isEqualTo("world");
                    client.shutdownOutput();
                    Proc.await("EOF", () -> Io.read(conn, buf, 0, buf.length) == 0);
                } finally {
                    Io.close(conn);
                }
            }
        } finally {
            Io.close(listener);
        }
    }

    @Test
    void nonBlockingOnlyWhenAskedAndAlwaysCloexec() {
        int blocking = Sockets.listenTcp4(LOOPBACK, 0, false, false, 8);
        int nonBlocking = Sockets.listenTcp4(LOOPBACK, 0, false, true, 8);
        try {
            assertThat(Proc.fdFlags(blocking) & O_NONBLOCK).isZero();
            assertThat(Proc.fdFlags(nonBlocking) & O_NONBLOCK).isNotZero();
            assertThat(Proc.fdFlags(blocking) & O_CLOEXEC).isNotZero();
            assertThat(Proc.fdFlags(nonBlocking) & O_CLOEXEC).isNotZero();
            assertThat(Io.isNonBlocking(blocking)).isFalse();
            assertThat(Io.isNonBlocking(nonBlocking)).isTrue();
        } finally {
            Proc.closeAll(blocking, nonBlocking);
        }
    }

    @Test
    void bindingABusyPortFailsWithBindAndEaddrinuse() {
        int first = Sockets.listenTcp4(LOOPBACK, 0, true, true, 8);
        try {
            int port = Sockets.localPort(first);
            assertThatThrownBy(() -> Sockets.listenTcp4(LOOPBACK, port, true, true, 8))
                    .isInstanceOfSatisfying(ErrnoException.class, e -> {
                        assertThat(e.call()).isEqualTo("bind");
                        assertThat(e.errno()).isEqualTo(ErrnoException.EADDRINUSE);
                        assertThat(e.getMessage()).isEqualTo("bind: Address already in use");
                    });
        } finally {
            Io.close(first);
        }
    }

    @Test
    void reuseAddrAllowsRebindingWhileAnOldConnectionLingers() throws IOException {
        int listener = Sockets.listenTcp4(LOOPBACK, 0, true, true, 8);
        int port = Sockets.localPort(listener);
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            int conn = Proc.awaitValue("a connection", () -> {
                int fd = Sockets.accept(listener);
                return fd < 0 ? null : fd;
            });
            // The server side closes first, so its end of the connection lingers on the port.
            Io.close(conn);
            Io.close(listener);
            assertThat(client.getInputStream().read()).isEqualTo(-1);
        }
        assertThatThrownBy(() -> Sockets.listenTcp4(LOOPBACK, port, false, true, 8))
                .isInstanceOfSatisfying(ErrnoException.class,
                        e -> assertThat(e.errno()).isEqualTo(ErrnoException.EADDRINUSE));
        int again = Sockets.listenTcp4(LOOPBACK, port, true, true, 8);
        Io.close(again);
    }

    @Test
    void unixListenerIsMode0600EvenUnderUmaskZero(@TempDir Path dir) throws IOException {
        Path path = dir.resolve("cmd.sock");
        int original = Posix.umask(0);
        int listener;
        try {
            listener = Sockets.listenUnix(path.toString(), 8);
            assertThat(Posix.umask(0)).as("umask restored").isZero();
        } finally {
            Posix.umask(original);
        }
        try {
            assertThat(Files.getPosixFilePermissions(path))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Io.isNonBlocking(listener)).isTrue();
            assertThat(Proc.fdFlags(listener) & O_CLOEXEC).isNotZero();
        } finally {
            Io.close(listener);
        }
    }

    @Test
    void unixConnectAcceptReadWriteAndPeerCredentials(@TempDir Path dir) throws IOException {
        String path = dir.resolve("cmd.sock").toString();
        int listener = Sockets.listenUnix(path, 8);
        int client = Sockets.connectUnix(path);
        try {
            assertThat(Io.isNonBlocking(client)).isFalse();
            assertThat(Proc.fdFlags(client) & O_CLOEXEC).isNotZero();
            int server = Proc.awaitValue("a connection", () -> {
                int fd = Sockets.accept(listener);
                return fd < 0 ? null : fd;
            });
            try {
                byte[] ping = "ping\n".getBytes(StandardCharsets.UTF_8);
                assertThat(Io.write(client, ping, 0, ping.length)).isEqualTo(ping.length);
                byte[] buf = new byte[64];
                int n = Proc.awaitValue("ping", () -> {
                    int r = Io.read(server, buf, 0, buf.length);
                    return r < 0 ? null : r;
                });
                assertThat(new String(buf, 0, n, StandardCharsets.UTF_8)).isEqualTo("ping\n");

                byte[] pong = "pöng".getBytes(StandardCharsets.UTF_8);
                assertThat(Io.write(server, pong, 0, pong.length)).isEqualTo(pong.length);
                assertThat(Io.read(client, buf, 0, buf.length)).isEqualTo(pong.length);

                PeerCred cred = Sockets.peerCred(server);
                assertThat(cred.pid()).isEqualTo(Posix.getpid());
                assertThat(cred.uid()).isEqualTo(realId("Uid"));
                assertThat(cred.gid()).isEqualTo(realId("Gid"));
                assertThat(Sockets.peerCred(client).pid()).isEqualTo(Posix.getpid());
            } finally {
                Io.close(server);
            }
        } finally {
            Proc.closeAll(client, listener);
        }
    }

    private static int realId(String key) {
        return Integer.parseInt(Proc.statusField("self", key).split("\\s+")[0]);
    }

    @Test
    void unixBindOnAnExistingPathFails(@TempDir Path dir) throws IOException {
        Path path = Files.createFile(dir.resolve("taken"));
        assertThatThrownBy(() -> Sockets.listenUnix(path.toString(), 8))
                .isInstanceOfSatisfying(ErrnoException.class, e -> {
                    assertThat(e.call()).isEqualTo("bind");
                    assertThat(e.errno()).isEqualTo(ErrnoException.EADDRINUSE);
                });
    }

    @Test
    void unixPathTooLongIsRejected() {
        String path = "/tmp/" + "x".repeat(120);
        assertThatThrownBy(() -> Sockets.listenUnix(path, 8))
                .isInstanceOfSatisfying(ErrnoException.class,
                        e -> assertThat(e.errno()).isEqualTo(ErrnoException.ENAMETOOLONG));
    }

    @Test
    void connectErrorsCarryConnectAndErrno(@TempDir Path dir) {
        String missing = dir.resolve("missing.sock").toString();
        assertThatThrownBy(() -> Sockets.connectUnix(missing))
                .isInstanceOfSatisfying(ErrnoException.class, e -> {
                    assertThat(e.call()).isEqualTo("connect");
                    assertThat(e.errno()).isEqualTo(ErrnoException.ENOENT);
                });

        // Closing a listener leaves its file behind; connecting then is refused.
        String stale = dir.resolve("stale.sock").toString();
        Io.close(Sockets.listenUnix(stale, 8));
        assertThat(Path.of(stale)).exists();
        assertThatThrownBy(() -> Sockets.connectUnix(stale))
                .isInstanceOfSatisfying(ErrnoException.class, e -> {
                    assertThat(e.errno()).isEqualTo(ErrnoException.ECONNREFUSED);
                    assertThat(e.getMessage()).isEqualTo("connect: Connection refused");
                });
    }

    @Test
    void socketPairIsBlockingCloexecAndConnected() {
        int[] pair = Sockets.socketPair();
        try {
            for (int fd : pair) {
                assertThat(Io.isNonBlocking(fd)).isFalse();
                assertThat(Proc.fdFlags(fd) & O_CLOEXEC).isNotZero();
            }
            byte[] msg = {1, 2, 3};
            assertThat(Io.write(pair[0], msg, 0, 3)).isEqualTo(3);
            byte[] buf = new byte[3];
            assertThat(Io.read(pair[1], buf, 0, 3)).isEqualTo(3);
            assertThat(buf).isEqualTo(msg);
            assertThat(Sockets.peerCred(pair[0]).pid()).isEqualTo(Posix.getpid());

            Io.close(pair[0]);
            assertThat(Io.read(pair[1], buf, 0, 3)).as("EOF").isZero();
        } finally {
            Proc.closeAll(pair);
        }
    }

    @Test
    void localPortOfANonSocketFails() {
        int[] pipe = TestLibc.pipe();
        try {
            assertThatThrownBy(() -> Sockets.localPort(pipe[0]))
                    .isInstanceOfSatisfying(ErrnoException.class, e -> {
                        assertThat(e.call()).isEqualTo("getsockname");
                        assertThat(e.errno()).isEqualTo(ErrnoException.ENOTSOCK);
                    });
        } finally {
            Proc.closeAll(pipe);
        }
    }
}
