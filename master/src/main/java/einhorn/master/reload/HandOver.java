package einhorn.master.reload;

import einhorn.master.Settings;
import einhorn.master.cli.Config;
import einhorn.posix.Io;
import einhorn.protocol.Json;
import einhorn.protocol.ParseException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state that crosses a master reload (SPEC §9.4): one UTF-8 JSON object, format 1, written
 * by the old image into a memfd and read to EOF by the new one. It is written and read with the
 * protocol module's own JSON code (the wire format's): a JSON library's class loading and set-up
 * cost the new image about 100 ms before it could serve (measured with -Xlog:class+init).
 */
public final class HandOver {
    public static final int FORMAT = 1;
    private static final Set<String> KNOWN = Set.of("format", "settings", "runtime", "listeners",
            "command_server_fd", "connections", "children");

    private HandOver() {}

    /** What the new image gets back. */
    public record Restored(Config config, String launcherPath, Map<?, ?> runtime, List<Listed> listeners,
                           int commandServerFd, List<?> connections, List<?> children, String note) {}

    /** One listener: its master-side fd and the port it is bound to. */
    public record Listed(int fd, int port) {}

    public static byte[] write(Config config, Settings settings, int verbosity, String launcherPath,
                               Map<String, Object> runtime, int[] listenFds, int[] ports, int commandServerFd,
                               List<Map<String, Object>> connections, List<Map<String, Object>> children) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("settings", SettingsCodec.write(config, settings, verbosity, launcherPath));
        m.put("runtime", runtime);
        List<Map<String, Object>> listeners = new ArrayList<>();
        for (int i = 0; i < listenFds.length; i++) {
            listeners.add(Map.of("fd", listenFds[i], "port", ports[i]));
        }
        m.put("listeners", listeners);
        m.put("command_server_fd", commandServerFd);
        m.put("connections", connections);
        m.put("children", children);
        return Json.write(m).getBytes(StandardCharsets.UTF_8);
    }

    /** Reads fd to EOF, closes it, and checks the required parts. */
    public static Restored read(int fd) throws RestoreException {
        byte[] bytes;
        try {
            // A fresh open of the memfd starts at offset 0, whatever the writer's offset was.
            bytes = Files.readAllBytes(Path.of("/proc/self/fd/" + fd));
        } catch (IOException e) {
            throw new RestoreException("cannot read it (" + e.getMessage() + ")");
        } finally {
            try {
                Io.close(fd);
            } catch (RuntimeException ignored) {
                // not open: reported above
            }
        }
        Object parsed;
        try {
            parsed = Json.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw new RestoreException(bytes.length == 0 ? "empty" : "not a JSON object (" + e.getMessage() + ")");
        }
        if (!(parsed instanceof Map<?, ?> m)) {
            throw new RestoreException(parsed == null ? "empty" : "not a JSON object");
        }
        for (String key : List.of("format", "listeners", "command_server_fd", "children")) {
            if (!m.containsKey(key)) {
                throw new RestoreException("missing \"" + key + "\"");
            }
        }
        if (!(m.get("format") instanceof Number f) || f.intValue() != FORMAT) {
            throw new RestoreException("unsupported format " + m.get("format") + " (this image reads " + FORMAT + ")");
        }
        try {
            List<String> filled = new ArrayList<>();
            Map<?, ?> settings = m.get("settings") instanceof Map<?, ?> s ? s : Map.of();
            Config config = SettingsCodec.read(settings, filled);
            List<Listed> listeners = new ArrayList<>();
            for (Object o : (List<?>) m.get("listeners")) {
                Map<?, ?> l = (Map<?, ?>) o;
                listeners.add(new Listed(((Number) l.get("fd")).intValue(),
                        l.get("port") instanceof Number p ? p.intValue() : 0));
            }
            if (listeners.size() != config.binds().size()) {
                throw new RestoreException("listeners do not match settings.bind");
            }
            Map<?, ?> runtime = m.get("runtime") instanceof Map<?, ?> r ? r : Map.of();
            List<?> connections = m.get("connections") instanceof List<?> c ? c : List.of();
            List<String> unknown = new ArrayList<>();
            for (Object key : m.keySet()) {
                if (!KNOWN.contains(String.valueOf(key))) {
                    unknown.add(String.valueOf(key));
                }
            }
            String note = unknown.isEmpty() && filled.isEmpty() ? null
                    : "Hand-over state: ignored unknown keys " + unknown + ", filled defaults for " + filled;
            return new Restored(config, SettingsCodec.launcherPath(settings), runtime, listeners,
                    ((Number) m.get("command_server_fd")).intValue(), connections, (List<?>) m.get("children"), note);
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            throw new RestoreException("malformed (" + e + ")");
        }
    }

    /** The state could not be restored: SPEC §9.4 says print why and exit 1. */
    public static final class RestoreException extends Exception {
        public RestoreException(String reason) {
            super(reason, null, false, false);
        }
    }
}
