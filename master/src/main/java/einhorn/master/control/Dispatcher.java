package einhorn.master.control;

import einhorn.master.Log;
import einhorn.master.Master;
import einhorn.protocol.Framing;
import einhorn.protocol.ParseException;
import einhorn.protocol.Reply;
import einhorn.protocol.RubyTypes;
import einhorn.protocol.Yaml11;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Parses one request line and runs its command, answering every error as SPEC §5.6 says. */
public final class Dispatcher {
    private final Map<String, Command> commands = new TreeMap<>();
    private final Master master;
    private final CommandServer server;
    private final Log log;

    public Dispatcher(Master master, CommandServer server, Log log) {
        this.master = master;
        this.server = server;
        this.log = log;
        for (Command c : Commands.all()) {
            commands.put(c.name(), c);
        }
    }

    void handle(Connection conn, String line) {
        Object doc;
        try {
            doc = Yaml11.parse(Framing.decode(line));
        } catch (ParseException e) {
            log.debug("Could not parse command: " + e.getMessage());
            doc = null;
        }
        if (!(doc instanceof Map<?, ?> req)) {
            server.send(conn, Reply.error("Could not parse command", null));
            return;
        }
        Object id = req.get("id");
        Object requestId = id == null || Boolean.FALSE.equals(id) ? null : id;
        Object name = req.get("command");
        if (name == null) {
            server.send(conn, Reply.error("No \"command\" parameter provided; not sure what you want me to do.", requestId));
            return;
        }
        Command command = name instanceof String s ? commands.get(s) : null;
        if (command == null) {
            String shown = RubyTypes.inspect(name);
            server.send(conn, Reply.error("Unrecognized command: " + shown + "\n\n" + Commands.helpLines() + "\n", requestId));
            return;
        }
        List<String> args;
        try {
            args = args(command, req);
        } catch (IllegalArgumentException e) {
            server.send(conn, Reply.error(e.getMessage(), requestId));
            return;
        }
        Call call = new Call(master, server, conn, req, requestId, args);
        try {
            command.run(call);
        } catch (Exception | StackOverflowError e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            log.error("Error while processing command \"" + command.name() + "\":\n" + trace);
            if (!call.answered()) {
                call.error("Error while processing command \"" + command.name() + "\": " + e);
            }
        }
        server.settleAll();
    }

    private static List<String> args(Command command, Map<?, ?> req) {
        if (command.args() == Command.Args.IGNORED) {
            return List.of();
        }
        if (!req.containsKey("args") || req.get("args") == null) {
            if (command.args() == Command.Args.REQUIRED) {
                throw new IllegalArgumentException("No args provided");
            }
            return List.of();
        }
        if (!(req.get("args") instanceof List<?> list)) {
            throw new IllegalArgumentException("Args must be an array");
        }
        List<String> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof String s)) {
                throw new IllegalArgumentException(
                        "Argument is a " + RubyTypes.typeName(o) + ", not a string: " + RubyTypes.inspect(o));
            }
            out.add(s);
        }
        return out;
    }
}
