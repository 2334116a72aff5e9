package einhorn.protocol;

/**
 * Strict JSON (RFC 8259) for bodies that start with '{'. JSON is nearly YAML flow, but YAML 1.1 lacks the
 * {@code \/} escape and surrogate-pair escapes, which JSON clients do send; so such bodies are read as JSON
 * first. A small hand-written reader rather than a library: einhornsh parses every reply with it, and
 * loading a JSON library costs more start-up time than the whole rest of a {@code -e state} run. It builds
 * through {@link TreeBuilder}, so the depth limit holds, and numbers come out as Long/BigInteger/Double like
 * the YAML path.
 */
final class JsonBody {
    private final String text;
    private final TreeBuilder tree = new TreeBuilder();
    private int pos;

    private JsonBody(String text) {
        this.text = text;
    }

    /** The value, or null if {@code text} is not exactly one JSON value (the caller then tries YAML). */
    static Parsed read(String text) throws ParseException {
        JsonBody reader = new JsonBody(text);
        try {
            return reader.document() ? new Parsed(reader.tree.root()) : null;
        } catch (NotJson e) {
            return null;
        }
    }

    /** Distinguishes "parsed as JSON null" from "not JSON". */
    record Parsed(Object value) {}

    /** Not JSON; cheap to throw because the caller falls back to YAML and never looks at it. */
    private static final class NotJson extends Exception {
        NotJson() {
            super(null, null, false, false);
        }
    }

    private boolean document() throws ParseException, NotJson {
        do {
            skipSpace();
            char c = peek();
            switch (c) {
                case '{' -> {
                    pos++;
                    tree.startMap(null);
                    skipSpace();
                    if (peek() == '}') {
                        pos++;
                        tree.end();
                    } else {
                        key();
                        continue; // the value follows
                    }
                }
                case '[' -> {
                    pos++;
                    tree.startSeq(null);
                    skipSpace();
                    if (peek() == ']') {
                        pos++;
                        tree.end();
                    } else {
                        continue; // the first element follows
                    }
                }
                case '"' -> tree.scalar(string(), null);
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> tree.scalar(number(), null);
            }
            // A value is complete: close any collections that end here, then find the next value.
            while (!tree.done()) {
                skipSpace();
                char next = peek();
                pos++;
                if (next == ',') {
                    if (tree.atKey()) key();
                    break;
                } else if (next == '}' && tree.inMap()) {
                    tree.end();
                } else if (next == ']' && tree.inSeq()) {
                    tree.end();
                } else {
                    throw new NotJson();
                }
            }
        } while (!tree.done());
        skipSpace();
        return pos == text.length();
    }

    /** A member name and its colon. */
    private void key() throws ParseException, NotJson {
        skipSpace();
        if (peek() != '"') throw new NotJson();
        tree.scalar(string(), null);
        skipSpace();
        if (peek() != ':') throw new NotJson();
        pos++;
    }

    private void literal(String word, Boolean value) throws ParseException, NotJson {
        if (!text.startsWith(word, pos)) throw new NotJson();
        pos += word.length();
        tree.scalar(value, null);
    }

    private String string() throws NotJson {
        pos++; // opening quote
        StringBuilder sb = null;
        int start = pos;
        while (true) {
            if (pos >= text.length()) throw new NotJson();
            char c = text.charAt(pos);
            if (c == '"') {
                String s = sb == null ? text.substring(start, pos) : sb.append(text, start, pos).toString();
                pos++;
                return s;
            }
            if (c < 0x20) throw new NotJson();
            if (c != '\\') {
                pos++;
                continue;
            }
            if (sb == null) sb = new StringBuilder();
            sb.append(text, start, pos);
            if (pos + 1 >= text.length()) throw new NotJson();
            char e = text.charAt(pos + 1);
            pos += 2;
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> sb.append(hex4());
                default -> throw new NotJson();
            }
            start = pos;
        }
    }

    private char hex4() throws NotJson {
        if (pos + 4 > text.length()) throw new NotJson();
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos + i), 16);
            if (d < 0) throw new NotJson();
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    private Object number() throws ParseException, NotJson {
        int start = pos;
        if (peekOr('-')) pos++;
        if (peekOr('0')) {
            pos++;
        } else if (!digits()) {
            throw new NotJson();
        }
        boolean integral = true;
        if (peekOr('.')) {
            pos++;
            if (!digits()) throw new NotJson();
            integral = false;
        }
        if (peekOr('e') || peekOr('E')) {
            pos++;
            if (peekOr('+') || peekOr('-')) pos++;
            if (!digits()) throw new NotJson();
            integral = false;
        }
        String s = text.substring(start, pos);
        return integral ? Scalars.integer(s) : Scalars.floating(s);
    }

    private boolean digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') pos++;
        return pos > start;
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }

    private char peek() throws NotJson {
        if (pos >= text.length()) throw new NotJson();
        return text.charAt(pos);
    }

    private boolean peekOr(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }
}
