package einhorn.master.reload;

import einhorn.master.Settings;
import einhorn.master.cli.Config;
import einhorn.master.listen.ListenSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Config and runtime settings to and from the hand-over's `settings` object (SPEC §9.4). */
final class SettingsCodec {
    private SettingsCodec() {}

    static Map<String, Object> write(Config c, Settings s, int verbosity, String launcherPath) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<String> binds = new ArrayList<>();
        for (ListenSpec b : c.binds()) {
            binds.add(b.host() + ":" + b.port() + (b.flags().isEmpty() ? "" : "," + String.join(",", b.flags())));
        }
        m.put("bind", binds);
        m.put("cmd_name", c.cmdName());
        m.put("socket_path", c.socketPath());
        m.put("pidfile", c.pidfile());
        m.put("lockfile", c.lockfile());
        m.put("command_socket_as_fd", c.commandSocketAsFd());
        m.put("kill_children_on_exit", c.killChildrenOnExit());
        m.put("backlog", c.backlog());
        m.put("ack_timeout", c.ackTimeout());
        m.put("number", s.number);
        m.put("preload", c.preloadPath());
        m.put("verbosity", verbosity);
        m.put("seconds", s.seconds);
        m.put("signal_timeout", s.signalTimeout);
        m.put("drop_env_vars", c.dropEnvVars());
        m.put("reexec_as", c.reexecAs());
        if (c.nice() != null) {
            Map<String, Object> nice = new LinkedHashMap<>();
            nice.put("master", c.nice().master());
            nice.put("worker", c.nice().worker());
            nice.put("renice_cmd", c.nice().reniceCmd());
            m.put("nice", nice);
        }
        m.put("max_unacked", s.maxUnacked);
        m.put("max_upgrade_additional", s.maxUpgradeAdditional);
        m.put("gc_before_fork", c.gcBeforeFork());
        m.put("max_connections", c.maxConnections());
        m.put("orig_cmd", c.origCmd());
        m.put("cmd", c.cmd());
        m.put("launcher_path", launcherPath);
        return m;
    }

    /** Reads settings back; missing optional keys get their defaults and are reported in {@code filled}. */
    static Config read(Map<?, ?> m, List<String> filled) {
        List<ListenSpec> binds = new ArrayList<>();
        for (Object b : list(m, "bind", filled)) {
            binds.add(ListenSpec.parse(String.valueOf(b)));
        }
        Map<?, ?> nice = m.get("nice") instanceof Map<?, ?> n ? n : null;
        List<String> cmd = strings(m.get("cmd"));
        if (cmd.isEmpty()) {
            throw new IllegalArgumentException("settings.cmd is missing or empty");
        }
        return new Config(binds, str(m, "cmd_name"), req(m, "socket_path"), req(m, "pidfile"), req(m, "lockfile"),
                bool(m, "command_socket_as_fd", filled), bool(m, "kill_children_on_exit", filled),
                integer(m, "backlog", 100, filled), dbl(m, "ack_timeout"), integer(m, "number", 1, filled),
                str(m, "preload"), integer(m, "verbosity", 1, filled),
                m.get("seconds") instanceof Number n ? n.doubleValue() : fill(filled, "seconds", 1.0),
                optInt(m, "signal_timeout"), strings(m.get("drop_env_vars")), str(m, "reexec_as"),
                nice == null ? null : new Config.Nice(optInt(nice, "master"), optInt(nice, "worker"),
                        nice.get("renice_cmd") instanceof String r ? r : "/usr/bin/renice"),
                null, false, optInt(m, "max_unacked"), optInt(m, "max_upgrade_additional"),
                bool(m, "gc_before_fork", filled), integer(m, "max_connections", 1000, filled),
                strings(m.get("orig_cmd")), cmd);
    }

    static String launcherPath(Map<?, ?> m) {
        return str(m, "launcher_path");
    }

    private static <T> T fill(List<String> filled, String key, T value) {
        filled.add(key);
        return value;
    }

    private static String req(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof String s)) {
            throw new IllegalArgumentException("settings." + key + " is missing");
        }
        return s;
    }

    private static String str(Map<?, ?> m, String key) {
        return m.get(key) instanceof String s ? s : null;
    }

    private static boolean bool(Map<?, ?> m, String key, List<String> filled) {
        if (m.get(key) instanceof Boolean b) {
            return b;
        }
        return fill(filled, key, false);
    }

    private static int integer(Map<?, ?> m, String key, int dflt, List<String> filled) {
        if (m.get(key) instanceof Number n) {
            return n.intValue();
        }
        return fill(filled, key, dflt);
    }

    private static Integer optInt(Map<?, ?> m, String key) {
        return m.get(key) instanceof Number n ? n.intValue() : null;
    }

    private static Double dbl(Map<?, ?> m, String key) {
        return m.get(key) instanceof Number n ? n.doubleValue() : null;
    }

    private static List<?> list(Map<?, ?> m, String key, List<String> filled) {
        if (m.get(key) instanceof List<?> l) {
            return l;
        }
        return fill(filled, key, List.of());
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            l.forEach(x -> out.add(String.valueOf(x)));
        }
        return out;
    }
}
