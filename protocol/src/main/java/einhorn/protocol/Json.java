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

    /**
     * Reads exactly one strict JSON (RFC 8259) value, with the limits of {@link Yaml11} and the same
     * result types (LinkedHashMap, ArrayList, String, Long, BigInteger, Double, Boolean, null).
     */
    public static Object parse(String text) throws ParseException {
        JsonBody.Parsed json;
        try {
            json = JsonBody.read(text);
        } catch (ParseException e) {
            throw e;
        } catch (StackOverflowError | OutOfMemoryError e) {
            throw new ParseException("document too complex", e);
        } catch (RuntimeException e) {
            throw new ParseException(e.getMessage() == null ? "malformed JSON" : e.getMessage(), e);
        }
        if (json == null) {
            throw new ParseException("not one JSON value");
        }
        return json.value();
    }

    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    // instanceof chains rather than pattern switches: a pattern switch bootstraps through invokedynamic,
    // which costs einhornsh tens of milliseconds of start-up for every request it writes.
    static void write(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            Quoting.quote(out, s);
        } else if (value instanceof Map<?, ?> m) {
            writeMap(out, m);
        } else if (value instanceof Iterable<?> list) {
            writeList(out, list);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger || value instanceof BigDecimal) {
            out.append(value);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Double d) {
            out.append(floatText(d));
        } else if (value instanceof Float f) {
            out.append(floatText(f));
        } else if (value instanceof Sym sym) {
            Quoting.quote(out, sym.name());
        } else if (value instanceof Timestamp t) {
            out.append('"').append(t.rfc3339()).append('"');
        } else if (value instanceof Object[] array) {
            writeList(out, java.util.Arrays.asList(array));
        } else {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON");
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
        if (key instanceof String s) return s;
        if (key instanceof Sym sym) return sym.name();
        if (key instanceof Long || key instanceof Integer || key instanceof BigInteger) return key.toString();
        // YAML allows any key (null, a float, a sequence...); JSON keys are strings, so such a key
        // is written as its own JSON text: a request id can always be echoed.
        return write(key);
    }
}
