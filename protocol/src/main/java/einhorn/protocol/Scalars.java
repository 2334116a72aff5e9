package einhorn.protocol;

import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * YAML 1.1 scalar resolution as SPEC §5.3 narrows it. Plain scalars: {@code ~}, {@code null} (any case) or
 * empty are null; {@code true false yes no on off} (any case) are booleans; decimal integers with an optional
 * sign and {@code _} separators are Long, or BigInteger when too big; decimal floats are Double; anything else
 * is a String. Leading zeros are decimal ({@code 012} is 12, not octal 10), and hex, octal, binary,
 * sexagesimal, {@code .inf}, {@code .nan} and dates all stay strings.
 */
final class Scalars {
    static final String TAG = "tag:yaml.org,2002:";
    /** Longer numbers are refused: BigInteger parsing is quadratic, and no request needs them. */
    static final int MAX_NUMBER_CHARS = 1000;

    /** Compiled on first use: JSON bodies never need them, and einhornsh reads only JSON from our master. */
    private static final class Grammar {
        static final Pattern INT = Pattern.compile("[-+]?[0-9][0-9_]*");
        static final Pattern FLOAT = Pattern.compile(
                "[-+]?(?:[0-9][0-9_]*\\.[0-9_]*|\\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+");
    }

    private Scalars() {}

    static Object plain(String s) throws ParseException {
        if (s.isEmpty() || s.equals("~")) return null;
        char c = s.charAt(0);
        if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.') {
            if (Grammar.INT.matcher(s).matches()) return integer(s);
            if (Grammar.FLOAT.matcher(s).matches()) return floating(s);
            return s;
        }
        if (s.length() > 5) return s;
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "null" -> null;
            case "true", "yes", "on" -> Boolean.TRUE;
            case "false", "no", "off" -> Boolean.FALSE;
            default -> s;
        };
    }

    /** A scalar with an explicit tag; only the core scalar tags are allowed. */
    static Object tagged(String tag, String s) throws ParseException {
        switch (tag) {
            case "!", TAG + "str" -> {
                return s;
            }
            case TAG + "int" -> {
                if (Grammar.INT.matcher(s).matches()) return integer(s);
            }
            case TAG + "float" -> {
                if (Grammar.FLOAT.matcher(s).matches() || Grammar.INT.matcher(s).matches()) return floating(s);
            }
            case TAG + "bool" -> {
                if (plain(s) instanceof Boolean b) return b;
            }
            case TAG + "null" -> {
                if (s.isEmpty() || s.equals("~") || s.equalsIgnoreCase("null")) return null;
            }
            default -> throw new ParseException("tag " + tag + " is not allowed");
        }
        throw new ParseException("\"" + s + "\" is not a valid " + tag.substring(TAG.length()));
    }

    static Object integer(String s) throws ParseException {
        String digits = s.indexOf('_') < 0 ? s : s.replace("_", "");
        if (digits.length() > MAX_NUMBER_CHARS) throw new ParseException("integer longer than " + MAX_NUMBER_CHARS + " characters");
        if (digits.length() <= 18) return Long.parseLong(digits);
        BigInteger big = new BigInteger(digits);
        return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }

    static Double floating(String s) throws ParseException {
        String text = s.indexOf('_') < 0 ? s : s.replace("_", "");
        if (text.length() > MAX_NUMBER_CHARS) throw new ParseException("float longer than " + MAX_NUMBER_CHARS + " characters");
        double d = Double.parseDouble(text);
        if (!Double.isFinite(d)) {
            // No reply or state format can carry it back (JSON has no Infinity): refuse it here.
            throw new ParseException("float out of range: " + s);
        }
        return d;
    }
}
