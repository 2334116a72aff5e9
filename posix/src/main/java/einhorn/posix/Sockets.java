package einhorn.posix;

import static einhorn.posix.Native.INT;
import static einhorn.posix.Native.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
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

    private static final class Make {
        static final MethodHandle SOCKET =
                Native.withErrno("socket", FunctionDescriptor.of(INT, INT, INT, INT));
        static final MethodHandle SETSOCKOPT = Native.withErrno("setsockopt",
                FunctionDescriptor.of(INT, INT, INT, INT, PTR, INT));
        static final MethodHandle BIND =
                Native.withErrno("bind", FunctionDescriptor.of(INT, INT, PTR, INT));
        static final MethodHandle LISTEN =
                Native.withErrno("listen", FunctionDescriptor.of(INT, INT, INT));
    }

    private static final class Connect {
        static final MethodHandle CONNECT =
                Native.withErrno("connect", FunctionDescriptor.of(INT, INT, PTR, INT));
    }

    private static final class Accept {
        static final MethodHandle ACCEPT4 =
                Native.withErrno("accept4", FunctionDescriptor.of(INT, INT, PTR, PTR, INT));
    }

    private static final class Pair {
        static final MethodHandle SOCKETPAIR = Native.withErrno("socketpair",
                FunctionDescriptor.of(INT, INT, INT, INT, PTR));
    }

    private static final class Query {
        static final MethodHandle GETSOCKNAME =
                Native.withErrno("getsockname", FunctionDescriptor.of(INT, INT, PTR, PTR));
        static final MethodHandle GETSOCKOPT = Native.withErrno("getsockopt",
                FunctionDescriptor.of(INT, INT, INT, INT, PTR, PTR));
    }

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
                int r = (int) Make.SETSOCKOPT.invokeExact(st, fd, SOL_SOCKET, SO_REUSEADDR, one,
                        (int) INT.byteSize());
                check("setsockopt(SO_REUSEADDR)", r, st);
            }
            MemorySegment addr = arena.allocate(SOCKADDR_IN_SIZE, 4);
            addr.set(Native.SHORT, 0, (short) AF_INET);
            addr.set(Native.SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) port);
            MemorySegment.copy(ipv4, 0, addr, Native.BYTE, 4, 4);
            bindAndListen(fd, addr, SOCKADDR_IN_SIZE, backlog);
            return fd;
        } catch (Throwable t) {
            closeQuietly(fd);
            throw Native.rethrow(t);
        }
    }

    /** The local port of a bound IPv4 or IPv6 socket (both keep it at offset 2). */
    public static int localPort(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment addr = arena.allocate(SOCKADDR_STORAGE_SIZE, 8);
            MemorySegment len = arena.allocateFrom(INT, (int) SOCKADDR_STORAGE_SIZE);
            MemorySegment st = Native.state();
            check("getsockname", (int) Query.GETSOCKNAME.invokeExact(st, fd, addr, len), st);
            return Short.toUnsignedInt(addr.get(Native.SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2));
        } catch (Throwable t) {
            throw Native.rethrow(t);
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
        } catch (Throwable t) {
            closeQuietly(fd);
            throw Native.rethrow(t);
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
            int r = (int) Connect.CONNECT.invokeExact(st, fd, addr, (int) SOCKADDR_UN_SIZE);
            check("connect", r, st);
            return fd;
        } catch (Throwable t) {
            closeQuietly(fd);
            throw Native.rethrow(t);
        }
    }

    /**
     * Accepts one connection as a non-blocking, CLOEXEC fd.
     *
     * @return the new fd, or -1 if none is pending (EAGAIN)
     */
    public static int accept(int listenFd) {
        MemorySegment st = Native.state();
        try {
            while (true) {
                int r = (int) Accept.ACCEPT4.invokeExact(st, listenFd, MemorySegment.NULL,
                        MemorySegment.NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
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
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** A connected pair of blocking, CLOEXEC UNIX stream sockets. */
    public static int[] socketPair() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sv = arena.allocate(INT, 2);
            MemorySegment st = Native.state();
            int r = (int) Pair.SOCKETPAIR.invokeExact(st, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
                    sv);
            check("socketpair", r, st);
            return new int[] {sv.getAtIndex(INT, 0), sv.getAtIndex(INT, 1)};
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** The pid, uid and gid of the process that connected (or created) the peer socket. */
    public static PeerCred peerCred(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cred = arena.allocate(INT, 3); // struct ucred { pid, uid, gid }
            MemorySegment len = arena.allocateFrom(INT, (int) cred.byteSize());
            MemorySegment st = Native.state();
            int r = (int) Query.GETSOCKOPT.invokeExact(st, fd, SOL_SOCKET, SO_PEERCRED, cred, len);
            check("getsockopt(SO_PEERCRED)", r, st);
            return new PeerCred(cred.getAtIndex(INT, 0), cred.getAtIndex(INT, 1),
                    cred.getAtIndex(INT, 2));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static int socket(int domain, int type) {
        MemorySegment st = Native.state();
        try {
            int fd = (int) Make.SOCKET.invokeExact(st, domain, type, 0);
            check("socket", fd, st);
            return fd;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static void bindAndListen(int fd, MemorySegment addr, long addrLen, int backlog)
            throws Throwable {
        MemorySegment st = Native.state();
        check("bind", (int) Make.BIND.invokeExact(st, fd, addr, (int) addrLen), st);
        check("listen", (int) Make.LISTEN.invokeExact(st, fd, backlog), st);
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
