package einhorn.posix;

import static einhorn.posix.Native.INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Sockets made with the raw calls rather than NIO, so that every flag (SO_REUSEADDR, backlog,
 * O_NONBLOCK, CLOEXEC) is under our control and the fd can be handed to a worker as it is.
 */
public final class Sockets {
    private static final int AF_UNIX = 1;
    private static final int AF_INET = 2;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_REUSEADDR = 2;
    private static final int SO_PEERCRED = 17;

    // struct sockaddr_in: family u16, port u16 (network order), addr[4], zero[8].
    private static final long SOCKADDR_IN_SIZE = 16;
    // struct sockaddr_un: family u16, sun_path[108] (NUL-terminated here, so 107 usable bytes).
    private static final long SOCKADDR_UN_SIZE = 110;
    private static final int SUN_PATH_MAX = 107;
    private static final long SOCKADDR_STORAGE_SIZE = 128;

    private Sockets() {}

    private static final Native.Fn SOCKET = Native.fn("socket");
    private static final Native.Fn SETSOCKOPT = Native.fn("setsockopt");
    private static final Native.Fn BIND = Native.fn("bind");
    private static final Native.Fn LISTEN = Native.fn("listen");
    private static final Native.Fn CONNECT = Native.fn("connect");
    private static final Native.Fn ACCEPT4 = Native.fn("accept4");
    private static final Native.Fn SOCKETPAIR = Native.fn("socketpair");
    private static final Native.Fn GETSOCKNAME = Native.fn("getsockname");
    private static final Native.Fn GETSOCKOPT = Native.fn("getsockopt");

    /**
     * A listening IPv4 TCP socket, CLOEXEC, bound to {@code ipv4} (4 bytes) and {@code port}
     * (0 for any). Non-blocking only if asked: a worker inherits the flag with the socket.
     *
     * @throws ErrnoException with call "socket", "setsockopt", "bind" or "listen"
     */
    public static int listenTcp4(byte[] ipv4, int port, boolean reuseAddr, boolean nonBlock,
            int backlog) {
        if (ipv4.length != 4) {
            throw new IllegalArgumentException("IPv4 address must be 4 bytes, got " + ipv4.length);
        }
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (nonBlock ? SOCK_NONBLOCK : 0));
        try (Arena arena = Arena.ofConfined()) {
            if (reuseAddr) {
                MemorySegment one = arena.allocateFrom(INT, 1);
                MemorySegment st = Native.state();
                int r = (int) SETSOCKOPT.call(st, fd, SOL_SOCKET, SO_REUSEADDR, one.address(),
                        INT.byteSize());
                check("setsockopt(SO_REUSEADDR)", r, st);
            }
            MemorySegment addr = arena.allocate(SOCKADDR_IN_SIZE, 4);
            addr.set(Native.SHORT, 0, (short) AF_INET);
            addr.set(Native.SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) port);
            MemorySegment.copy(ipv4, 0, addr, Native.BYTE, 4, 4);
            bindAndListen(fd, addr, SOCKADDR_IN_SIZE, backlog);
            return fd;
        } catch (RuntimeException | Error t) {
            closeQuietly(fd);
            throw t;
        }
    }

    /** The local port of a bound IPv4 or IPv6 socket (both keep it at offset 2). */
    public static int localPort(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment addr = arena.allocate(SOCKADDR_STORAGE_SIZE, 8);
            MemorySegment len = arena.allocateFrom(INT, (int) SOCKADDR_STORAGE_SIZE);
            MemorySegment st = Native.state();
            check("getsockname", (int) GETSOCKNAME.call(st, fd, addr.address(), len.address()), st);
            return Short.toUnsignedInt(addr.get(Native.SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2));
        }
    }

    /**
     * A listening UNIX stream socket at {@code path}, CLOEXEC and non-blocking, whose file has
     * mode 0600 whatever the umask. An existing file at path makes bind fail with EADDRINUSE.
     *
     * <p>The umask is process-wide: a file another thread creates during the bind gets 0177 too.
     */
    public static int listenUnix(String path, int backlog) {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment addr = unixAddress(arena, path, "bind");
            int old = Posix.umask(0177);
            try {
                bindAndListen(fd, addr, SOCKADDR_UN_SIZE, backlog);
            } finally {
                Posix.umask(old);
            }
            return fd;
        } catch (RuntimeException | Error t) {
            closeQuietly(fd);
            throw t;
        }
    }

    /**
     * A blocking, CLOEXEC connection to the UNIX socket at {@code path}.
     *
     * @throws ErrnoException ("connect", ENOENT / ECONNREFUSED / EACCES ...)
     */
    public static int connectUnix(String path) {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment addr = unixAddress(arena, path, "connect");
            MemorySegment st = Native.state();
            // No EINTR retry: a retried connect reports EALREADY, and a UNIX stream connect
            // completes or fails without waiting unless the listener's backlog is full.
            int r = (int) CONNECT.call(st, fd, addr.address(), SOCKADDR_UN_SIZE);
            check("connect", r, st);
            return fd;
        } catch (RuntimeException | Error t) {
            closeQuietly(fd);
            throw t;
        }
    }

    /**
     * Accepts one connection as a non-blocking, CLOEXEC fd.
     *
     * @return the new fd, or -1 if none is pending (EAGAIN)
     */
    public static int accept(int listenFd) {
        MemorySegment st = Native.state();
        while (true) {
            int r = (int) ACCEPT4.call(st, listenFd, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (r >= 0) {
                return r;
            }
            int errno = Native.errno(st);
            if (errno == ErrnoException.EAGAIN) {
                return -1;
            }
            if (errno != ErrnoException.EINTR && errno != ErrnoException.ECONNABORTED) {
                throw new ErrnoException("accept4", errno);
            }
        }
    }

    /** A connected pair of blocking, CLOEXEC UNIX stream sockets. */
    public static int[] socketPair() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sv = arena.allocate(INT, 2);
            MemorySegment st = Native.state();
            int r = (int) SOCKETPAIR.call(st, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv.address());
            check("socketpair", r, st);
            return new int[] {sv.getAtIndex(INT, 0), sv.getAtIndex(INT, 1)};
        }
    }

    /** The pid, uid and gid of the process that connected (or created) the peer socket. */
    public static PeerCred peerCred(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cred = arena.allocate(INT, 3); // struct ucred { pid, uid, gid }
            MemorySegment len = arena.allocateFrom(INT, (int) cred.byteSize());
            MemorySegment st = Native.state();
            int r = (int) GETSOCKOPT.call(st, fd, SOL_SOCKET, SO_PEERCRED, cred.address(), len.address());
            check("getsockopt(SO_PEERCRED)", r, st);
            return new PeerCred(cred.getAtIndex(INT, 0), cred.getAtIndex(INT, 1),
                    cred.getAtIndex(INT, 2));
        }
    }

    private static int socket(int domain, int type) {
        MemorySegment st = Native.state();
        int fd = (int) SOCKET.call(st, domain, type, 0);
        check("socket", fd, st);
        return fd;
    }

    private static void bindAndListen(int fd, MemorySegment addr, long addrLen, int backlog) {
        MemorySegment st = Native.state();
        check("bind", (int) BIND.call(st, fd, addr.address(), addrLen), st);
        check("listen", (int) LISTEN.call(st, fd, backlog), st);
    }

    private static MemorySegment unixAddress(Arena arena, String path, String call) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0) {
            throw new IllegalArgumentException("empty UNIX socket path");
        }
        if (bytes.length > SUN_PATH_MAX) {
            throw new ErrnoException(call + " " + path, ErrnoException.ENAMETOOLONG);
        }
        MemorySegment addr = arena.allocate(SOCKADDR_UN_SIZE, 2);
        addr.set(Native.SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(bytes, 0, addr, Native.BYTE, 2, bytes.length);
        return addr;
    }

    private static void check(String call, int r, MemorySegment st) {
        if (r < 0) {
            throw new ErrnoException(call, Native.errno(st));
        }
    }

    private static void closeQuietly(int fd) {
        try {
            Io.close(fd);
        } catch (ErrnoException ignored) {
            // The original failure is the one worth reporting.
        }
    }
}
