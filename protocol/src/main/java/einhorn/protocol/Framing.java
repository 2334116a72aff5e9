package einhorn.protocol;

/**
 * The line framing of SPEC §5.2: a message is one line; inside it {@code %} is written {@code %25} and a
 * newline {@code %0A}. There are no other escapes, so anything else that looks like one stays as it is.
 */
public final class Framing {
    private Framing() {}

    /** The framed line for {@code body}, including its trailing newline. */
    public static String encode(String body) {
        StringBuilder out = new StringBuilder(body.length() + 8);
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            switch (c) {
                case '%' -> out.append("%25");
                case '\n' -> out.append("%0A");
                default -> out.append(c);
            }
        }
        return out.append('\n').toString();
    }

    /**
     * The body of {@code line}, which must not include its trailing newline. A single left-to-right pass,
     * so {@code %2541} becomes {@code %41}, not {@code A}. Only the upper-case {@code %0A} the reference writes
     * is recognised.
     */
    public static String decode(String line) {
        if (line.indexOf('%') < 0) return line;
        StringBuilder out = new StringBuilder(line.length());
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '%' && line.startsWith("25", i + 1)) {
                out.append('%');
                i += 3;
            } else if (c == '%' && line.startsWith("0A", i + 1)) {
                out.append('\n');
                i += 3;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
