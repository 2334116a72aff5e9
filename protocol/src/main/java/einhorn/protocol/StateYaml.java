package einhorn.protocol;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The YAML form of {@code state} (SPEC §6.3), written so that Ruby's safe loader (Symbol and Time allowed)
 * reads back symbol-keyed hashes. Mappings are block style because symbol keys cannot go in flow mappings;
 * every key but an integer (a pid) is written as a symbol, {@code :name:}. Sequences of plain values are flow
 * style ({@code ["a", 1]}); a sequence holding a mapping or a symbol falls back to block style, since a
 * symbol cannot start a plain scalar inside a flow collection. Strings are always double-quoted, so no
 * string can be mistaken for another type.
 */
public final class StateYaml {
    /** Names that are safe as plain {@code :name}; anything else is written as a quoted string instead. */
    private static final Pattern SYMBOL = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*[?!]?");

    private StateYaml() {}

    public static String write(Object tree) {
        StringBuilder out = new StringBuilder(4096).append("---");
        if (tree instanceof Map<?, ?> m && !m.isEmpty()) {
            out.append('\n');
            writeMap(out, m, 0, false);
        } else if (tree instanceof List<?> l && !isFlow(l)) {
            out.append('\n');
            writeBlockList(out, l, 0);
        } else {
            out.append(' ');
            writeInline(out, tree);
            out.append('\n');
        }
        return out.toString();
    }

    /** Entries at {@code indent}; if {@code hanging}, the first key continues a "- " already written. */
    private static void writeMap(StringBuilder out, Map<?, ?> map, int indent, boolean hanging) {
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(first && hanging)) indent(out, indent);
            first = false;
            writeKey(out, e.getKey());
            out.append(':');
            writeValue(out, e.getValue(), indent + 2);
        }
    }

    /** The value after "key:" or "-": inline on the same line, or nested blocks on the following lines. */
    private static void writeValue(StringBuilder out, Object value, int indent) {
        if (value instanceof Map<?, ?> m && !m.isEmpty()) {
            out.append('\n');
            writeMap(out, m, indent, false);
        } else if (value instanceof List<?> l && !isFlow(l)) {
            out.append('\n');
            writeBlockList(out, l, indent);
        } else {
            out.append(' ');
            writeInline(out, value);
            out.append('\n');
        }
    }

    private static void writeBlockList(StringBuilder out, List<?> list, int indent) {
        for (Object item : list) {
            indent(out, indent);
            out.append('-');
            if (item instanceof Map<?, ?> m && !m.isEmpty()) {
                out.append(' ');
                writeMap(out, m, indent + 2, true);
            } else {
                writeValue(out, item, indent + 2);
            }
        }
    }

    /** A scalar, an empty mapping, or a flow sequence. */
    private static void writeInline(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case String s -> Quoting.quote(out, s);
            case Sym sym -> writeSymbol(out, sym.name());
            case Boolean b -> out.append(b.booleanValue());
            case Integer i -> out.append(i.intValue());
            case Long l -> out.append(l.longValue());
            case BigInteger b -> out.append(b);
            case Double d -> out.append(floatText(d));
            case Float f -> out.append(floatText(f.doubleValue()));
            case Timestamp t -> out.append(t.yaml());
            case Map<?, ?> m when m.isEmpty() -> out.append("{}");
            case List<?> l -> {
                out.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) out.append(", ");
                    writeInline(out, l.get(i));
                }
                out.append(']');
            }
            default -> throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " in state YAML");
        }
    }

    private static void writeKey(StringBuilder out, Object key) {
        switch (key) {
            case Sym sym -> writeSymbol(out, sym.name());
            case String s -> writeSymbol(out, s);
            case Integer i -> out.append(i.intValue());
            case Long l -> out.append(l.longValue());
            case BigInteger b -> out.append(b);
            case null -> throw new IllegalArgumentException("a state key cannot be null");
            default -> throw new IllegalArgumentException("cannot write a " + key.getClass().getName() + " as a state key");
        }
    }

    private static void writeSymbol(StringBuilder out, String name) {
        if (SYMBOL.matcher(name).matches()) {
            out.append(':').append(name);
        } else {
            Quoting.quote(out, ":" + name);
        }
    }

    /** A sequence is written in flow style unless it holds a non-empty mapping or a symbol, at any depth. */
    private static boolean isFlow(List<?> list) {
        for (Object item : list) {
            if (item instanceof Sym) return false;
            if (item instanceof Map<?, ?> m && !m.isEmpty()) return false;
            if (item instanceof List<?> l && !isFlow(l)) return false;
        }
        return true;
    }

    /** Always a fraction, and an exponent with an explicit sign, as YAML 1.1's float pattern requires. */
    static String floatText(double d) {
        if (Double.isNaN(d)) return ".nan";
        if (Double.isInfinite(d)) return d > 0 ? ".inf" : "-.inf";
        String s = Double.toString(d);
        int e = s.indexOf('E');
        if (e < 0) return s;
        String exp = s.substring(e + 1);
        return s.substring(0, e) + (exp.startsWith("-") ? "e" + exp : "e+" + exp);
    }

    private static void indent(StringBuilder out, int n) {
        out.repeat(' ', n);
    }
}
