package einhorn.master.control;

import einhorn.master.Log;
import einhorn.master.loop.EventLoop;
import einhorn.master.upgrade.Subscribers;
import einhorn.posix.Epoll;
import einhorn.posix.ErrnoException;
import einhorn.posix.Io;
import einhorn.posix.Sockets;
import einhorn.protocol.Reply;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command socket (SPEC §5): accepts clients, reads framed lines, hands each complete line to
 * the {@link Dispatcher} in arrival order, and writes replies without ever blocking the loop.
 */
public final class CommandServer implements Subscribers {
    private static final int READ_CHUNK = 65536;
    /** A client that does not read its replies is dropped once this much is queued for it. */
    static final int MAX_UNSENT = 4 * 1024 * 1024;

    private final int listenFd;
    private final EventLoop loop;
    private final Log log;
    private final Map<Integer, Connection> connections = new LinkedHashMap<>();
    /**
     * Connections whose state may have changed since they were last settled (a reply queued, a
     * subscription begun or ended, reading stopped). Settling only these keeps each request O(1):
     * with a few hundred -g workers acking at once, settling every connection after every ack made a
     * bring-up quadratic in epoll_ctl calls.
     */
    private final Set<Connection> unsettled = new LinkedHashSet<>();
    /** The subscribed connections, in subscription order (upgrade streams go to these only). */
    private final Set<Connection> subscribers = new LinkedHashSet<>();
    /** How many connections count against --max-connections (accepted, not -g pairs). */
    private int acceptedOpen;
    private final int maxConnections;
    private final int ownUid = einhorn.posix.Posix.geteuid();
    /** A spare fd, given up to accept-and-close one client when we run out of fds (EMFILE). */
    private int[] reserve;
    private final byte[] readBuf = new byte[READ_CHUNK];
    private Dispatcher dispatcher;

    public CommandServer(int listenFd, EventLoop loop, Log log, int maxConnections) {
        this.listenFd = listenFd;
        this.loop = loop;
        this.log = log;
        this.maxConnections = maxConnections;
        this.reserve = Sockets.socketPair();
    }

    public int listenFd() {
        return listenFd;
    }

    public void start(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
        loop.register(listenFd, Epoll.IN, e -> acceptAll());
    }

    /** Serves an already-connected fd (the master end of a worker's -g socket pair). */
    public void adopt(int fd) {
        add(new Connection(fd));
    }

    private Connection add(Connection c) {
        connections.put(c.fd, c);
        if (c.accepted) {
            acceptedOpen++;
        }
        if (c.subscribed) {
            subscribers.add(c);
        }
        c.armed = Epoll.IN;
        loop.register(c.fd, Epoll.IN, e -> guarded(c, e));
        return c;
    }

    private void guarded(Connection c, int events) {
        try {
            ready(c, events);
        } catch (RuntimeException failure) {
            log.error("Dropping command connection " + c.fd + " after an internal error: " + failure);
            drop(c);
        }
    }

    private void acceptAll() {
        int fd;
        while ((fd = acceptOne()) >= 0) {
            String refusal = refusal(fd);
            if (refusal == null) {
                Connection c = new Connection(fd);
                c.accepted = true;
                add(c);
            } else {
                refuse(fd, refusal);
            }
        }
    }

    /** Why a new client may not talk to us, or null (SO_PEERCRED; the connection limit). */
    private String refusal(int fd) {
        einhorn.posix.PeerCred cred;
        try {
            cred = Sockets.peerCred(fd);
        } catch (ErrnoException e) {
            return "Could not read the peer credentials of this connection (" + e.getMessage() + "); closing connection";
        }
        if (cred.uid() != ownUid && cred.uid() != 0) {
            log.error("Refused a command connection from uid " + cred.uid() + " (pid " + cred.pid()
                    + "): only uid " + ownUid + " and root may drive this master");
            return "Permission denied: uid " + cred.uid() + " may not use this Einhorn master (run as uid "
                    + ownUid + " or root); closing connection";
        }
        if (acceptedOpen >= maxConnections) {
            log.error("Refused a command connection: already " + acceptedOpen + " open (--max-connections "
                    + maxConnections + ")");
            return "Too many command connections (limit " + maxConnections + "); closing connection";
        }
        return null;
    }

    /** One best-effort error line, then close: a refused client never gets a Connection. */
    private void refuse(int fd, String message) {
        byte[] line = Reply.error(message, null).toLine().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            Io.write(fd, line, 0, line.length);
        } catch (ErrnoException ignored) {
            // the client is gone already
        }
        Io.close(fd);
    }

    private int acceptOne() {
        try {
            return Sockets.accept(listenFd);
        } catch (ErrnoException e) {
            if ((e.errno() == ErrnoException.EMFILE || e.errno() == ErrnoException.ENFILE) && reserve != null) {
                // Out of fds: the pending client would keep the socket readable and spin the loop.
                // Give up the spare, take the client, tell it why and close it, then re-arm the spare.
                log.error("Out of file descriptors; refusing a command connection (" + e.getMessage() + ")");
                Io.close(reserve[0]);
                Io.close(reserve[1]);
                reserve = null;
                try {
                    refuse(Sockets.accept(listenFd), "Einhorn master is out of file descriptors; closing connection");
                } catch (RuntimeException ignored) {
                    // nothing to accept after all
                }
                try {
                    reserve = Sockets.socketPair();
                } catch (ErrnoException stillOut) {
                    reserve = null;
                }
                return -1;
            }
            log.error("Could not accept a command connection: " + e.getMessage());
            return -1;
        }
    }

    private void ready(Connection c, int events) {
        if ((events & Epoll.OUT) != 0) {
            flush(c);
        }
        boolean hangup = (events & (Epoll.HUP | Epoll.ERR)) != 0;
        if ((events & Epoll.IN) != 0 || hangup) {
            if (!c.readEof && !c.stopReading) {
                read(c);
            } else if (hangup) {
                drop(c); // the peer is gone and we read nothing more from it: nobody is left to answer
                return;
            }
        }
        settle(c);
    }

    private void read(Connection c) {
        int n;
        try {
            n = Io.read(c.fd, readBuf, 0, readBuf.length);
        } catch (ErrnoException e) {
            log.debug("Command connection " + c.fd + " failed: " + e.getMessage());
            drop(c);
            return;
        }
        if (n == 0) {
            c.readEof = true;
        } else if (n > 0) {
            c.in.append(readBuf, 0, n);
        }
        String line;
        while (!c.stopReading && (line = c.in.nextLine()) != null) {
            dispatcher.handle(c, line);
        }
        if (!c.stopReading && c.in.overflowed()) {
            stopReading(c);
            send(c, Reply.error("Line too long (more than 1048576 bytes); closing connection", null));
        }
    }

    /** Queues a reply and writes as much as the socket takes now. */
    void send(Connection c, Reply r) {
        if (connections.get(c.fd) != c) { // dropped (its fd number may already belong to another client)
            return;
        }
        c.queue(r);
        unsettled.add(c);
        flush(c);
        if (c.outLength() > MAX_UNSENT && connections.get(c.fd) == c) {
            log.error("Dropping command connection " + c.fd + ": it has not read " + c.outLength()
                    + " bytes of replies (limit " + MAX_UNSENT + ")");
            drop(c);
        }
    }

    private void flush(Connection c) {
        while (c.hasOutput()) {
            int n;
            try {
                n = Io.write(c.fd, c.outBuf(), c.outStart(), c.outLength());
            } catch (ErrnoException e) {
                log.debug("Command connection " + c.fd + " went away: " + e.getMessage());
                drop(c);
                return;
            }
            if (n < 0) {
                break;
            }
            c.consumed(n);
        }
    }

    /** Closes a finished connection, or (re)arms the events it still waits for. */
    private void settle(Connection c) {
        unsettled.remove(c);
        if (connections.get(c.fd) != c) {
            return;
        }
        if (c.finished()) {
            drop(c);
            return;
        }
        int events = (c.readEof || c.stopReading ? 0 : Epoll.IN) | (c.hasOutput() ? Epoll.OUT : 0);
        if (events != c.armed) {
            loop.modify(c.fd, events);
            c.armed = events;
        }
    }

    /** No further request is read from {@code c}; it closes once its replies are sent (worker:ack). */
    void stopReading(Connection c) {
        c.stopReading = true;
        unsettled.add(c);
    }

    /** Called after handlers that may have changed connections' state (ack closes, replies queued). */
    public void settleAll() {
        while (!unsettled.isEmpty()) {
            settle(unsettled.iterator().next());
        }
    }

    private void drop(Connection c) {
        if (connections.get(c.fd) == c) {
            connections.remove(c.fd);
            if (c.accepted) {
                acceptedOpen--;
            }
            loop.unregister(c.fd);
            Io.close(c.fd);
        }
        c.subscribed = false;
        c.stopReading = true; // no further buffered line of a dropped client is handled
        subscribers.remove(c);
        unsettled.remove(c);
    }

    void subscribe(Connection c, Object requestId, String tag) {
        c.subscribed = true;
        c.subscription = requestId;
        c.tag = tag;
        subscribers.add(c);
        unsettled.add(c);
    }

    /** The hand-over of every connection (SPEC §9.4 `connections`). */
    public List<Map<String, Object>> toState() {
        List<Map<String, Object>> out = new ArrayList<>();
        connections.values().forEach(c -> out.add(c.toState()));
        return out;
    }

    /** The fds that must survive the exec: the server and every connection. */
    public List<Integer> fds() {
        List<Integer> out = new ArrayList<>(connections.keySet());
        out.add(listenFd);
        return out;
    }

    /** Re-adopts the previous image's connections with their buffers and subscriptions. */
    public void restore(List<?> records) {
        for (Object o : records) {
            unsettled.add(add(Connection.fromState((Map<?, ?>) o)));
        }
    }

    /** After a restore: handle lines that were already buffered, and send what was unsent. */
    public void resume() {
        for (Connection c : new ArrayList<>(connections.values())) {
            flush(c);
            String line;
            while (!c.stopReading && (line = c.in.nextLine()) != null) {
                dispatcher.handle(c, line);
            }
        }
        settleAll();
    }

    /** Ends every subscription with {@code tag} with a final reply. */
    public void finishTagged(String tag, String message, boolean error) {
        for (Connection c : subscribers()) {
            if (c.tag.equals(tag)) {
                finish(c, message, error);
            }
        }
        settleAll();
    }

    /** Streams one upgrade-tagged log message to every subscriber (SPEC §5.7). */
    public void stream(Log.Level level, String message) {
        String text = level == Log.Level.ERROR ? "ERROR: " + message : message;
        for (Connection c : subscribers()) {
            if (c.tag.equals(Connection.UPGRADE)) {
                send(c, new Reply(text, c.subscription, true, false));
            }
        }
    }

    @Override
    public void finishAll(String message, boolean error) {
        finishTagged(Connection.UPGRADE, message, error);
    }

    /** The final reply of one subscription. */
    void finish(Connection c, String message, boolean error) {
        if (c.subscribed) {
            c.subscribed = false;
            subscribers.remove(c);
            send(c, new Reply(message, c.subscription, false, error));
            c.subscription = null;
        }
    }

    /** A copy: finishing a subscription changes the set. */
    private List<Connection> subscribers() {
        return new ArrayList<>(subscribers);
    }

    /** True while some reply is still unsent (for the shutdown flush). */
    public boolean hasPendingOutput() {
        for (Connection c : connections.values()) {
            if (c.hasOutput()) {
                return true;
            }
        }
        return false;
    }
}
