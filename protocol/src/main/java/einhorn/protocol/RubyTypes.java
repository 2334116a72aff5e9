package einhorn.protocol;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** How the reference would name and show a parsed value in an error message (SPEC §5.6). */
public final class RubyTypes {
    private RubyTypes() {}

    /** The Ruby class name: Integer, Float, TrueClass, FalseClass, NilClass, Hash, Array or String. */
    public static String typeName(Object v) {
        return switch (v) {
            case null -> "NilClass";
            case Long l -> "Integer";
            case Integer i -> "Integer";
            case BigInteger b -> "Integer";
            case Double d -> "Float";
            case Float f -> "Float";
            case Boolean b -> b ? "TrueClass" : "FalseClass";
            case Map<?, ?> m -> "Hash";
            case List<?> l -> "Array";
            case String s -> "String";
            default -> v.getClass().getSimpleName();
        };
    }

    /** {@code 3}, {@code 1.5}, {@code true}, {@code nil}, a JSON string, or JSON for a collection. */
    public static String inspect(Object v) {
        return switch (v) {
            case null -> "nil";
            case Double d when d.isNaN() -> "NaN";
            case Double d when d.isInfinite() -> d > 0 ? "Infinity" : "-Infinity";
            case Float f when !Float.isFinite(f) -> inspect(f.doubleValue());
            case Map<?, ?> m -> safeJson(m);
            case List<?> l -> safeJson(l);
            default -> Json.write(v);
        };
    }

    /** A collection holding a non-finite float has no JSON; fall back to Java's rendering. */
    private static String safeJson(Object v) {
        try {
            return Json.write(v);
        } catch (IllegalArgumentException e) {
            return String.valueOf(v);
        }
    }
}
