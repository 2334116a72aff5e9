package einhorn.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IoTest {
    private static final int O_NONBLOCK = 04000;
    private static final int O_CLOEXEC = 02000000;

    @Test
    void nonBlockingReadWithNothingPendingIsMinusOne() {
        int[] pair = Sockets.socketPair();
        try {
            Io.setNonBlocking(pair[0], true);
            assertThat(Io.isNonBlocking(pair[0])).isTrue();
            assertThat(Proc.fdFlags(pair[0]) & O_NONBLOCK).isNotZero();
            assertThat(Io.read(pair[0], new byte[8], 0, 8)).isEqualTo(-1);
            Io.setNonBlocking(pair[0], false);
            assertThat(Io.isNonBlocking(pair[0])).isFalse();
            assertThat(Proc.fdFlags(pair[0]) & O_NONBLOCK).isZero();
        } finally {
            Proc.closeAll(pair);
        }
    }

    @Test
    void cloexecCanBeClearedAndSet() {
        int[] pair = Sockets.socketPair();
        try {
            Io.setCloexec(pair[0], false);
            assertThat(Proc.fdFlags(pair[0]) & O_CLOEXEC).isZero();
            Io.setCloexec(pair[0], true);
            assertThat(Proc.fdFlags(pair[0]) & O_CLOEXEC).isNotZero();
        } finally {
            Proc.closeAll(pair);
        }
    }

    @Test
    void writeToAFullSocketIsMinusOneThenResumes() {
        int[] pair = Sockets.socketPair();
        try {
            Io.setNonBlocking(pair[0], true);
            byte[] chunk = new byte[100_000];
            int total = 0;
            int n;
            int rounds = 0;
            while ((n = Io.write(pair[0], chunk, 0, chunk.length)) > 0) {
                total += n;
                assertThat(++rounds).as("socket buffer never filled").isLessThan(10_000);
            }
            assertThat(n).isEqualTo(-1);
            assertThat(total).isPositive();
            // Drain everything; then writing works again.
            byte[] sink = new byte[65536];
            int drained = 0;
            while (drained < total) {
                drained += Io.read(pair[1], sink, 0, sink.length);
            }
            assertThat(drained).isEqualTo(total);
            assertThat(Io.write(pair[0], chunk, 10, 5)).isEqualTo(5);
        } finally {
            Proc.closeAll(pair);
        }
    }

    @Test
    void writeToAClosedSocketPeerIsEpipeNotSigpipe() {
        int[] pair = Sockets.socketPair();
        try {
            Io.close(pair[1]);
            assertThatThrownBy(() -> Io.write(pair[0], new byte[] {1}, 0, 1))
                    .isInstanceOfSatisfying(ErrnoException.class, e -> {
                        assertThat(e.errno()).isEqualTo(ErrnoException.EPIPE);
                        assertThat(e.getMessage()).endsWith(": Broken pipe");
                    });
        } finally {
            Proc.closeAll(pair);
        }
    }

    @Test
    void pipesFallBackToWrite() {
        int[] pipe = TestLibc.pipe();
        try {
            byte[] data = "through a pipe".getBytes();
            assertThat(Io.write(pipe[1], data, 0, data.length)).isEqualTo(data.length);
            byte[] buf = new byte[64];
            int n = Io.read(pipe[0], buf, 0, buf.length);
            assertThat(new String(buf, 0, n)).isEqualTo("through a pipe");

            Io.close(pipe[0]);
            assertThatThrownBy(() -> Io.write(pipe[1], data, 0, data.length))
                    .isInstanceOfSatisfying(ErrnoException.class, e -> {
                        assertThat(e.call()).isEqualTo("write");
                        assertThat(e.errno()).isEqualTo(ErrnoException.EPIPE);
                    });
        } finally {
            Proc.closeAll(pipe);
        }
    }

    @Test
    void offsetsAreRespectedAndBoundsChecked() {
        int[] pair = Sockets.socketPair();
        try {
            byte[] src = {9, 9, 1, 2, 3, 9};
            assertThat(Io.write(pair[0], src, 2, 3)).isEqualTo(3);
            byte[] dst = new byte[6];
            assertThat(Io.read(pair[1], dst, 1, 5)).isEqualTo(3);
            assertThat(dst).containsExactly(0, 1, 2, 3, 0, 0);
            assertThatThrownBy(() -> Io.write(pair[0], src, 4, 3))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> Io.read(pair[1], dst, -1, 2))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(Io.read(pair[1], dst, 0, 0)).isZero();
        } finally {
            Proc.closeAll(pair);
        }
    }

    @Test
    void largeTransfersArriveWhole() throws InterruptedException {
        int[] pair = Sockets.socketPair();
        try {
            byte[] big = new byte[300_000];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) (i * 31);
            }
            Thread writer = Thread.ofPlatform().start(() -> {
                int off = 0;
                while (off < big.length) {
                    off += Io.write(pair[0], big, off, big.length - off);
                }
                Io.close(pair[0]);
            });
            byte[] got = Proc.readAll(pair[1]).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            writer.join();
            assertThat(got.length).isEqualTo(big.length);
        } finally {
            Proc.closeAll(pair);
        }
    }

    @Test
    void closingTwiceIsEbadf() {
        int[] pair = Sockets.socketPair();
        Io.close(pair[0]);
        Io.close(pair[1]);
        assertThatThrownBy(() -> Io.close(pair[0]))
                .isInstanceOfSatisfying(ErrnoException.class, e -> {
                    assertThat(e.call()).isEqualTo("close");
                    assertThat(e.errno()).isEqualTo(ErrnoException.EBADF);
                });
        assertThatThrownBy(() -> Io.read(pair[0], new byte[1], 0, 1))
                .isInstanceOfSatisfying(ErrnoException.class,
                        e -> assertThat(e.errno()).isEqualTo(ErrnoException.EBADF));
        assertThatThrownBy(() -> Io.isNonBlocking(pair[0]))
                .isInstanceOf(ErrnoException.class);
    }
}
