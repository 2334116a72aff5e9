package einhorn.protocol;

import java.util.Objects;

/**
 * One reply line (SPEC §5.5): compact JSON with {@code message}, then {@code request_id} if the request had
 * one, then {@code "wait":true} on every message but the last, then {@code "error":true} on an error.
 *
 * @param requestId the request's id as parsed (String, Long, Double, Boolean...), or null when absent
 * @param waiting    true when more messages follow for this request (written {@code "wait":true}); the
 *                   component cannot be called {@code wait}, which would clash with {@link Object#wait()}
 */
public record Reply(String message, Object requestId, boolean waiting, boolean error) {
    public Reply {
        Objects.requireNonNull(message, "message");
    }

    /** A final, successful reply. */
    public static Reply of(String message, Object requestId) {
        return new Reply(message, requestId, false, false);
    }

    /** A final error reply. */
    public static Reply error(String message, Object requestId) {
        return new Reply(message, requestId, false, true);
    }

    /** A non-final message of a stream (an upgrade subscription). */
    public static Reply progress(String message, Object requestId) {
        return new Reply(message, requestId, true, false);
    }

    /** The compact JSON body, without framing. */
    public String toJson() {
        StringBuilder out = new StringBuilder(message.length() + 32).append("{\"message\":");
        Quoting.quote(out, message);
        if (requestId != null) {
            out.append(",\"request_id\":");
            Json.write(out, requestId);
        }
        if (waiting) out.append(",\"wait\":true");
        if (error) out.append(",\"error\":true");
        return out.append('}').toString();
    }

    /** The framed line, ending in {@code '\n'}, ready to write to the socket. */
    public String toLine() {
        return Framing.encode(toJson());
    }
}
