package einhorn.it;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** One decoded reply line from the command socket (SPEC §5.5), raw and parsed. */
record Reply(String raw, Map<String, Object> map) {
    static Reply parse(String decodedLine) {
        try {
            return new Reply(decodedLine, JSON.std.mapFrom(decodedLine));
        } catch (IOException e) {
            throw new UncheckedIOException("reply is not JSON: " + decodedLine, e);
        }
    }

    String message() {
        return (String) map.get("message");
    }

    Object requestId() {
        return map.get("request_id");
    }

    boolean isWait() {
        return Boolean.TRUE.equals(map.get("wait"));
    }

    boolean isError() {
        return Boolean.TRUE.equals(map.get("error"));
    }

    @Override
    public String toString() {
        return raw;
    }
}
