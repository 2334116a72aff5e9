package einhorn.shell;

import einhorn.protocol.Json;
import einhorn.protocol.ParseException;
import einhorn.protocol.Yaml11;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs commands against the master and prints what it says (SPEC §15.3): each command goes out as
 * {@code {"id":N,"command":C,"args":[...]}}, and every reply's message is printed until one comes without
 * {@code wait}. Remembers whether anything went wrong, for the exit status (§15.4).
 */
final class Session {
    /** What processing a line asks of the caller. */
    enum Next { CONTINUE, QUIT, DISCONNECTED }

    private final MasterConnection master;
    private final String path;
    private final PrintStream out;
    private final PrintStream err;
    private long nextId = 1;
    private boolean failed;

    Session(MasterConnection master, String path, PrintStream out, PrintStream err) {
        this.master = master;
        this.path = path;
        this.out = out;
        this.err = err;
    }

    boolean failed() {
        return failed;
    }

    /** Runs every command on {@code line}, stopping at {@code quit} or {@code exit}. */
    Next runLine(String line) {
        for (CommandSplitter.Part part : CommandSplitter.split(line)) {
            if (part instanceof CommandSplitter.Words w) {
                if (w.command().equals("quit") || w.command().equals("exit")) return Next.QUIT;
                if (!run(w.command(), w.args())) return Next.DISCONNECTED;
            } else if (part instanceof CommandSplitter.Unsplittable u) {
                err.println("einhornsh: could not split command \"" + u.text().strip() + "\": " + u.reason());
                failed = true;
            }
        }
        return Next.CONTINUE;
    }

    /** Sends {@code ehlo} (no id) and prints the greeting on stderr; false if the connection is gone. */
    boolean ehlo(String user) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("command", "ehlo");
        request.put("user", user);
        return send(request) && readReplies(err);
    }

    /** Runs one command; false if the connection is gone. */
    private boolean run(String command, List<String> args) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("id", nextId++);
        request.put("command", command);
        request.put("args", args);
        return send(request) && readReplies(out);
    }

    private boolean send(Map<String, Object> request) {
        try {
            master.send(Json.write(request));
            return true;
        } catch (IOException e) {
            lost("could not send to", e);
            return false;
        }
    }

    /** Prints each reply's message on {@code print} up to the final one; false if the connection ended first. */
    private boolean readReplies(PrintStream print) {
        while (true) {
            String body;
            try {
                body = master.receive();
            } catch (IOException e) {
                lost("lost connection to", e);
                return false;
            }
            if (body == null) {
                err.println("einhornsh: Einhorn master at " + path + " closed the connection before its final reply");
                failed = true;
                return false;
            }
            Map<?, ?> reply = parse(body);
            if (reply == null) return true; // treated as final: nothing says more is coming
            print.print(withNewline(messageOf(reply)));
            print.flush();
            if (Boolean.TRUE.equals(reply.get("error"))) failed = true;
            if (!Boolean.TRUE.equals(reply.get("wait"))) return true;
        }
    }

    /** The reply as a mapping with a message, or null after reporting it as malformed. */
    private Map<?, ?> parse(String body) {
        Object value;
        try {
            value = Yaml11.parse(body);
        } catch (ParseException e) {
            value = null;
        }
        if (value instanceof Map<?, ?> reply && reply.get("message") != null) return reply;
        err.println("einhornsh: malformed reply from Einhorn master: " + Json.write(abbreviate(body)));
        failed = true;
        return null;
    }

    private void lost(String what, IOException e) {
        err.println("einhornsh: " + what + " Einhorn master at " + path + ": " + Main.reason(e));
        failed = true;
    }

    private static String messageOf(Map<?, ?> reply) {
        Object message = reply.get("message");
        return message instanceof String s ? s : String.valueOf(message);
    }

    static String withNewline(String message) {
        return message.endsWith("\n") ? message : message + "\n";
    }

    private static String abbreviate(String body) {
        return body.length() <= 200 ? body : body.substring(0, 200) + "...";
    }
}
