package einhorn.master.control;

import einhorn.master.Master;
import einhorn.protocol.Reply;

import java.util.List;
import java.util.Map;

/** One request being handled: who asked, with which id and args, and how to answer. */
final class Call {
    final Master master;
    final Map<?, ?> request;
    final Object requestId;
    final List<String> args;
    private final CommandServer server;
    private final Connection conn;
    private boolean answered;

    Call(Master master, CommandServer server, Connection conn, Map<?, ?> request, Object requestId, List<String> args) {
        this.master = master;
        this.server = server;
        this.conn = conn;
        this.request = request;
        this.requestId = requestId;
        this.args = args;
    }

    void reply(String message) {
        answered = true;
        server.send(conn, Reply.of(message, requestId));
    }

    void error(String message) {
        answered = true;
        server.send(conn, Reply.error(message, requestId));
    }

    /** A non-final reply (`wait`); only meaningful when the request has an id. */
    void progress(String message) {
        server.send(conn, new Reply(message, requestId, true, false));
    }

    /** Subscribes this connection to upgrade messages under the request id (SPEC §5.7). */
    void subscribe() {
        answered = true;
        server.subscribe(conn, requestId, Connection.UPGRADE);
    }

    /** Waits for the outcome of a reload (the final reply comes from whichever image runs next). */
    void subscribeToReload() {
        answered = true;
        server.subscribe(conn, requestId, Connection.RELOAD);
    }

    /** Ends this connection's subscription with a final reply. */
    void finishSubscription(String message, boolean error) {
        server.finish(conn, message, error);
    }

    /** worker:ack / worker:ping: no reply, and nothing more is read from this connection. */
    void closeAfterThis() {
        answered = true;
        server.stopReading(conn);
    }

    boolean answered() {
        return answered;
    }
}
