package einhorn.protocol;

/**
 * The double-quoted string form shared by JSON replies and the YAML state dump (SPEC §5.5). Both the JSON
 * reader of a new client and the YAML 1.1 reader of a reference client must accept it, hence the narrow
 * escape set: {@code \" \\ \n \t \r}, lower-case <code>&#92;u00XX</code> for everything outside YAML's printable set
 * and for U+0085, U+2028, U+2029 and U+FEFF, and every other character raw. Never {@code \/} (YAML 1.1 has
 * no such escape) and never surrogate escapes (YAML has none); a lone surrogate becomes U+FFFD.
 */
final class Quoting {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Quoting() {}

    static StringBuilder quote(StringBuilder out, String s) {
        out.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        out.append('\uFFFD');
                    } else if (needsEscape(c)) {
                        out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF])
                                .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    static boolean needsEscape(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029 || c == 0xFEFF
                || c == 0xFFFE || c == 0xFFFF;
    }
}
