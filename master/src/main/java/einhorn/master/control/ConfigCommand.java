package einhorn.master.control;

import einhorn.master.Settings;
import einhorn.protocol.Json;
import einhorn.protocol.ParseException;
import einhorn.protocol.RubyTypes;
import einhorn.protocol.Yaml11;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** `config {number: 4, seconds: 0.5}`: validated runtime settings, all or nothing (SPEC §6.6). */
final class ConfigCommand implements Command {
    private static final List<String> KEYS =
            List.of("number", "seconds", "verbosity", "signal_timeout", "max_unacked", "max_upgrade_additional");

    public String name() { return "config"; }
    public String help() {
        return "Change runtime settings (args: one YAML or JSON mapping, e.g. {number: 4, seconds: 0.5})";
    }
    public Args args() { return Args.REQUIRED; }

    public void run(Call call) {
        String text = String.join(" ", call.args);
        if (text.isBlank()) {
            call.error("Must pass in a YAML-encoded hash");
            return;
        }
        Object doc;
        try {
            doc = Yaml11.parse(text);
        } catch (ParseException e) {
            call.error("Could not parse argument. Must be a YAML-encoded hash");
            return;
        }
        if (!(doc instanceof Map<?, ?> map)) {
            call.error("Parsed argument is a " + RubyTypes.typeName(doc) + ", not a hash");
            return;
        }
        Map<String, Object> wanted = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            key = key.startsWith(":") ? key.substring(1) : key;
            if (!KEYS.contains(key)) {
                call.error("Invalid config: unknown key \"" + key + "\" (known: " + String.join(", ", KEYS) + ")");
                return;
            }
            String bad = validate(key, e.getValue());
            if (bad != null) {
                call.error("Invalid config: " + key + " must be " + bad + ", got " + RubyTypes.inspect(e.getValue()));
                return;
            }
            wanted.put(key, e.getValue());
        }
        List<String> changes = new ArrayList<>();
        Settings s = call.master.settings();
        for (String key : KEYS) {
            if (!wanted.containsKey(key)) {
                continue;
            }
            Object before = current(call, key);
            Object after = normalise(key, wanted.get(key));
            if (!java.util.Objects.equals(before, after)) {
                apply(call, key, after);
                changes.add(key + " " + Json.write(before) + " -> " + Json.write(after));
            }
        }
        if (changes.isEmpty()) {
            call.reply("Config unchanged");
        } else {
            call.master.log().info("Config updated: " + String.join(", ", changes));
            call.reply("Config updated: " + String.join(", ", changes));
        }
    }

    /** What is wrong with a value, or null if it is acceptable. */
    private static String validate(String key, Object v) {
        return switch (key) {
            case "number" -> isInt(v) && inRange(v, 1, 1000) ? null : "an integer in [1,1000]";
            case "seconds" -> v instanceof Number n && !(v instanceof java.math.BigInteger)
                    && n.doubleValue() > 0 && Double.isFinite(n.doubleValue()) ? null : "a number > 0";
            case "verbosity" -> isInt(v) && inRange(v, 0, 2) ? null : "an integer in [0,2]";
            default -> v == null || (isInt(v) && inRange(v, 1, Integer.MAX_VALUE)) ? null : "an integer >= 1 or null";
        };
    }

    private static boolean isInt(Object v) {
        return v instanceof Long || v instanceof Integer;
    }

    private static boolean inRange(Object v, long lo, long hi) {
        long n = ((Number) v).longValue();
        return n >= lo && n <= hi;
    }

    private static Object normalise(String key, Object v) {
        if (v == null) {
            return null;
        }
        return key.equals("seconds") ? (Object) ((Number) v).doubleValue() : (Object) ((Number) v).intValue();
    }

    private static Object current(Call call, String key) {
        Settings s = call.master.settings();
        return switch (key) {
            case "number" -> s.number;
            case "seconds" -> s.seconds;
            case "verbosity" -> call.master.log().verbosity();
            case "signal_timeout" -> s.signalTimeout;
            case "max_unacked" -> s.maxUnacked;
            default -> s.maxUpgradeAdditional;
        };
    }

    private static void apply(Call call, String key, Object v) {
        Settings s = call.master.settings();
        switch (key) {
            case "number" -> call.master.setNumber((Integer) v);
            case "seconds" -> s.seconds = (Double) v;
            case "verbosity" -> call.master.setVerbosity((Integer) v);
            case "signal_timeout" -> s.signalTimeout = (Integer) v;
            case "max_unacked" -> s.maxUnacked = (Integer) v;
            default -> s.maxUpgradeAdditional = (Integer) v;
        }
    }
}
