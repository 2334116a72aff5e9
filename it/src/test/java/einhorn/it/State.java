package einhorn.it;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code state json} (SPEC §6.3), parsed. */
record State(Map<String, Object> root) {
    record Child(long pid, String type, int version, boolean acked, List<String> signaled, int index) {}

    static State fetch(Path sock) {
        Reply r = Ctl.request(sock, "{\"command\":\"state\",\"args\":[\"json\"]}");
        if (r.isError()) throw new AssertionError("state failed: " + r);
        try {
            return new State(JSON.std.mapFrom(r.message()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> state() {
        return (Map<String, Object>) root.get("state");
    }

    @SuppressWarnings("unchecked")
    List<Child> children() {
        List<Child> out = new ArrayList<>();
        Map<String, Object> kids = (Map<String, Object>) state().get("children");
        for (Map.Entry<String, Object> e : kids.entrySet()) {
            Map<String, Object> c = (Map<String, Object>) e.getValue();
            out.add(new Child(Long.parseLong(e.getKey()), (String) c.get("type"), ((Number) c.get("version")).intValue(),
                    Boolean.TRUE.equals(c.get("acked")), (List<String>) c.get("signaled"),
                    ((Number) c.get("index")).intValue()));
        }
        return out;
    }

    List<Long> pids() {
        return children().stream().map(Child::pid).toList();
    }

    int version() {
        return ((Number) state().get("version")).intValue();
    }

    boolean upgrading() {
        return Boolean.TRUE.equals(state().get("upgrading"));
    }

    @SuppressWarnings("unchecked")
    int number() {
        return ((Number) ((Map<String, Object>) state().get("config")).get("number")).intValue();
    }

    /** Acked, unsignalled workers of the current version. */
    List<Child> ackedCurrent() {
        int v = version();
        return children().stream().filter(c -> c.acked() && c.signaled().isEmpty() && c.version() == v).toList();
    }

    /** True when exactly {@code n} workers are listed, all acked, unsignalled and current, and no upgrade runs. */
    boolean settled(int n) {
        return !upgrading() && children().size() == n && ackedCurrent().size() == n;
    }

    Object get(String key) {
        return state().get(key);
    }
}
