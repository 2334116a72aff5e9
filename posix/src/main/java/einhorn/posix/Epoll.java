package einhorn.posix;

import static einhorn.posix.Native.INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * An epoll instance reporting fds (the event's data field holds the fd). One thread polls;
 * add/modify/remove may come from any thread, as epoll itself allows.
 */
public final class Epoll implements AutoCloseable {
    public static final int IN = 0x001, OUT = 0x004, ERR = 0x008, HUP = 0x010, RDHUP = 0x2000;

    private static final int EPOLL_CLOEXEC = 0x80000;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    private static final int EPOLL_CTL_MOD = 3;
    private static final int MAX_EVENTS = 256;
    // struct epoll_event is packed on x86_64: u32 events @0, u64 data @4, 12 bytes in all.
    private static final long EVENT_SIZE = 12;
    private static final long EVENT_DATA = 4;

    private static final Native.Fn CREATE1 = Native.fn("epoll_create1");
    private static final Native.Fn CTL = Native.fn("epoll_ctl");
    private static final Native.Fn WAIT = Native.fn("epoll_wait");

    private final int epfd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment events = arena.allocate(EVENT_SIZE * MAX_EVENTS, 8);
    private int ready;
    private boolean closed;

    public Epoll() {
        MemorySegment st = Native.state();
        int fd;
        try {
            fd = (int) CREATE1.call(st, EPOLL_CLOEXEC);
        } catch (RuntimeException | Error t) {
            arena.close();
            throw t;
        }
        if (fd < 0) {
            arena.close();
            throw new ErrnoException("epoll_create1", Native.errno(st));
        }
        epfd = fd;
    }

    public void add(int fd, int events) {
        ctl("epoll_ctl(ADD)", EPOLL_CTL_ADD, fd, events);
    }

    public void modify(int fd, int events) {
        ctl("epoll_ctl(MOD)", EPOLL_CTL_MOD, fd, events);
    }

    /** Stops watching fd; an fd that is not registered, or already closed, is no error. */
    public void remove(int fd) {
        try {
            ctl("epoll_ctl(DEL)", EPOLL_CTL_DEL, fd, 0);
        } catch (ErrnoException e) {
            if (e.errno() != ErrnoException.ENOENT && e.errno() != ErrnoException.EBADF) {
                throw e;
            }
        }
    }

    /**
     * Waits for readiness; read the results with {@link #readyFd} and {@link #readyEvents}.
     *
     * @param timeoutMillis -1 waits for ever, 0 only checks
     * @return how many fds are ready (at most 256); 0 on timeout or when a signal interrupted
     */
    public int poll(int timeoutMillis) {
        MemorySegment st = Native.state();
        int n = (int) WAIT.call(st, epfd, events.address(), MAX_EVENTS, timeoutMillis);
        if (n < 0) {
            ready = 0;
            int errno = Native.errno(st);
            if (errno == ErrnoException.EINTR) {
                return 0;
            }
            throw new ErrnoException("epoll_wait", errno);
        }
        ready = n;
        return n;
    }

    public int readyFd(int i) {
        return events.get(INT, slot(i) + EVENT_DATA);
    }

    public int readyEvents(int i) {
        return events.get(INT, slot(i));
    }

    private long slot(int i) {
        if (i < 0 || i >= ready) {
            throw new IndexOutOfBoundsException("ready index " + i + " of " + ready);
        }
        return i * EVENT_SIZE;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                Io.close(epfd);
            } finally {
                arena.close();
            }
        }
    }

    private void ctl(String call, int op, int fd, int mask) {
        try (Arena local = Arena.ofConfined()) {
            MemorySegment ev = local.allocate(EVENT_SIZE, 8);
            ev.set(INT, 0, mask);
            ev.set(INT, EVENT_DATA, fd);
            MemorySegment st = Native.state();
            int r = (int) CTL.call(st, epfd, op, fd, ev.address());
            if (r < 0) {
                throw new ErrnoException(call, Native.errno(st));
            }
        }
    }
}
