package einhorn.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/** Reads, writes and flags on raw fds. */
public final class Io {
    private static final int F_GETFD = 1;
    private static final int F_SETFD = 2;
    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int FD_CLOEXEC = 1;
    private static final int O_NONBLOCK = 0x800;
    private static final int MSG_NOSIGNAL = 0x4000;
    // Heap arrays cannot be passed to a blocking call, so data goes through native memory;
    // one call moves at most this much (short reads and writes are part of the contract).
    private static final int MAX_CHUNK = 64 * 1024;

    private Io() {}

    private static final Native.Fn READ = Native.fn("read");
    private static final Native.Fn SEND = Native.fn("send");
    private static final Native.Fn WRITE = Native.fn("write");
    private static final Native.Fn CLOSE = Native.fn("close");
    // fcntl is variadic; F_GETFD/F_GETFL ignore the third argument.
    private static final Native.Fn FCNTL = Native.fn("fcntl");

    /**
     * Reads up to {@code len} bytes into {@code buf[off..]}.
     *
     * @return the count read (&gt; 0), 0 at end of stream, -1 if nothing is available (EAGAIN)
     */
    public static int read(int fd, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len == 0) {
            return 0;
        }
        MemorySegment st = Native.state();
        try (Arena arena = Arena.ofConfined()) {
            int chunk = Math.min(len, MAX_CHUNK);
            MemorySegment mem = arena.allocate(chunk);
            while (true) {
                long n = READ.call(st, fd, mem.address(), chunk);
                if (n >= 0) {
                    MemorySegment.copy(mem, Native.BYTE, 0, buf, off, (int) n);
                    return (int) n;
                }
                int errno = Native.errno(st);
                if (errno == ErrnoException.EAGAIN) {
                    return -1;
                }
                if (errno != ErrnoException.EINTR) {
                    throw new ErrnoException("read", errno);
                }
            }
        }
    }

    /**
     * Writes up to {@code len} bytes from {@code buf[off..]}, never raising SIGPIPE on sockets
     * (a closed peer gives ErrnoException EPIPE instead). For pipes the JVM's own SIGPIPE
     * handling applies: HotSpot ignores it, so the result is EPIPE too.
     *
     * @return the count written (possibly short), or -1 if the fd would block (EAGAIN)
     */
    public static int write(int fd, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        MemorySegment st = Native.state();
        try (Arena arena = Arena.ofConfined()) {
            int chunk = Math.min(len, MAX_CHUNK);
            MemorySegment mem = arena.allocate(Math.max(chunk, 1));
            MemorySegment.copy(buf, off, mem, Native.BYTE, 0, chunk);
            boolean socket = true;
            while (true) {
                long n = socket
                        ? SEND.call(st, fd, mem.address(), chunk, MSG_NOSIGNAL)
                        : WRITE.call(st, fd, mem.address(), chunk);
                if (n >= 0) {
                    return (int) n;
                }
                int errno = Native.errno(st);
                if (errno == ErrnoException.ENOTSOCK && socket) {
                    socket = false;
                } else if (errno == ErrnoException.EAGAIN) {
                    return -1;
                } else if (errno != ErrnoException.EINTR) {
                    throw new ErrnoException(socket ? "send" : "write", errno);
                }
            }
        }
    }

    /**
     * Closes {@code fd}. EINTR is not an error on Linux (the fd is gone either way).
     *
     * @throws ErrnoException EBADF if fd was not open, EIO etc.
     */
    public static void close(int fd) {
        MemorySegment st = Native.state();
        int r = (int) CLOSE.call(st, fd);
        if (r < 0 && Native.errno(st) != ErrnoException.EINTR) {
            throw new ErrnoException("close", Native.errno(st));
        }
    }

    public static void setNonBlocking(int fd, boolean on) {
        int flags = fcntl("fcntl(F_GETFL)", fd, F_GETFL, 0);
        int wanted = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
        if (wanted != flags) {
            fcntl("fcntl(F_SETFL)", fd, F_SETFL, wanted);
        }
    }

    public static boolean isNonBlocking(int fd) {
        return (fcntl("fcntl(F_GETFL)", fd, F_GETFL, 0) & O_NONBLOCK) != 0;
    }

    public static void setCloexec(int fd, boolean on) {
        int flags = fcntl("fcntl(F_GETFD)", fd, F_GETFD, 0);
        int wanted = on ? flags | FD_CLOEXEC : flags & ~FD_CLOEXEC;
        if (wanted != flags) {
            fcntl("fcntl(F_SETFD)", fd, F_SETFD, wanted);
        }
    }

    private static int fcntl(String call, int fd, int cmd, int arg) {
        MemorySegment st = Native.state();
        int r = (int) FCNTL.call(st, fd, cmd, arg);
        if (r < 0) {
            throw new ErrnoException(call, Native.errno(st));
        }
        return r;
    }
}
