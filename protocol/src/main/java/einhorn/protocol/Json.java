package einhorn.protocol;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * Compact JSON for replies and {@code state json}. Maps keep their iteration order; keys may be strings,
 * {@link Sym}s (written as their name) or integers (written as decimal strings, e.g. pids). Floats always
 * show a fraction or an exponent ({@code 1.0}, {@code 1.0E-5}) so a reader keeps them floats. Strings follow
 * {@link Quoting}. Any other type, or a non-finite float, is a programming error.
 */
public final class Json {
    private Json() {}

    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    static void write(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case String s -> Quoting.quote(out, s);
            case Sym sym -> Quoting.quote(out, sym.name());
            case Boolean b -> out.append(b.booleanValue());
            case Integer i -> out.append(i.intValue());
            case Long l -> out.append(l.longValue());
            case Short s -> out.append(s.shortValue());
            case Byte b -> out.append(b.byteValue());
            case BigInteger b -> out.append(b);
            case Double d -> out.append(floatText(d));
            case Float f -> out.append(floatText(f));
            case BigDecimal d -> out.append(d.toString());
            case Timestamp t -> out.append('"').append(t.rfc3339()).append('"');
            case Map<?, ?> m -> writeMap(out, m);
            case Iterable<?> list -> writeList(out, list);
            case Object[] array -> writeList(out, java.util.Arrays.asList(array));
            default -> throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON");
        }
    }

    /** Java's shortest round-trip form, which always carries a '.' or an exponent. */
    static String floatText(double d) {
        if (!Double.isFinite(d)) throw new IllegalArgumentException("JSON has no form for " + d);
        return Double.toString(d);
    }

    static String floatText(float f) {
        if (!Float.isFinite(f)) throw new IllegalArgumentException("JSON has no form for " + f);
        return Float.toString(f);
    }

    private static void writeMap(StringBuilder out, Map<?, ?> map) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!first) out.append(',');
            first = false;
            Quoting.quote(out, keyText(e.getKey()));
            out.append(':');
            write(out, e.getValue());
        }
        out.append('}');
    }

    private static void writeList(StringBuilder out, Iterable<?> list) {
        out.append('[');
        boolean first = true;
        for (Object item : list) {
            if (!first) out.append(',');
            first = false;
            write(out, item);
        }
        out.append(']');
    }

    private static String keyText(Object key) {
        return switch (key) {
            case String s -> s;
            case Sym sym -> sym.name();
            case Integer i -> i.toString();
            case Long l -> l.toString();
            case BigInteger b -> b.toString();
            case null -> throw new IllegalArgumentException("a JSON object key cannot be null");
            default -> throw new IllegalArgumentException("cannot write a " + key.getClass().getName() + " as a JSON key");
        };
    }
}
