package einhorn.master.loop;

import einhorn.posix.Epoll;

import java.util.HashMap;
import java.util.Map;

/**
 * The master's one thread: waits in epoll for fds (signalfd, command socket, connections) or
 * the next timer deadline, dispatches each ready fd to its handler, then runs the turn hook
 * (reap, replenish, cull). Nothing else mutates master state.
 */
public final class EventLoop {
    /** Reacts to readiness of one fd; {@code events} are Epoll bits. */
    public interface Handler {
        void ready(int events);
    }

    /** What the loop asks of the master between waits. */
    public interface Turn {
        /** Called after every batch of events and on timer expiry. */
        void afterEvents();

        /** Monotonic nanos of the next timer, or Long.MAX_VALUE. */
        long nextDeadline();

        /** True once the master should leave the loop. */
        boolean finished();
    }

    private final Epoll epoll = new Epoll();
    private final Map<Integer, Handler> handlers = new HashMap<>();
    private final java.util.function.BiConsumer<Integer, RuntimeException> onFailure;

    /** @param onFailure told when one fd's handler fails; the loop and every other fd carry on */
    public EventLoop(java.util.function.BiConsumer<Integer, RuntimeException> onFailure) {
        this.onFailure = onFailure;
    }

    public void register(int fd, int events, Handler h) {
        handlers.put(fd, h);
        epoll.add(fd, events);
    }

    public void modify(int fd, int events) {
        epoll.modify(fd, events);
    }

    public void unregister(int fd) {
        if (handlers.remove(fd) != null) {
            epoll.remove(fd);
        }
    }

    public void run(Turn turn) {
        turn.afterEvents();
        while (!turn.finished()) {
            int n = epoll.poll(timeoutMillis(turn.nextDeadline()));
            for (int i = 0; i < n; i++) {
                int fd = epoll.readyFd(i);
                Handler h = handlers.get(fd);
                if (h != null) {
                    try {
                        h.ready(epoll.readyEvents(i));
                    } catch (RuntimeException e) {
                        onFailure.accept(fd, e);
                    }
                }
            }
            turn.afterEvents();
        }
    }

    private static int timeoutMillis(long deadline) {
        if (deadline == Long.MAX_VALUE) {
            return -1;
        }
        long wait = deadline - System.nanoTime();
        if (wait <= 0) {
            return 0;
        }
        return (int) Math.min(Integer.MAX_VALUE, (wait + 999_999) / 1_000_000);
    }
}
