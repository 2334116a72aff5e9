package einhorn.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a line of input into commands (SPEC §15.3). The line is cut at every {@code ;}, quotes or not, and
 * each part is split into words the way Ruby's Shellwords (which the reference used) does it: whitespace
 * separates words; single quotes keep everything literally; inside double quotes a backslash escapes only
 * {@code $ ` " \} and newline and is kept before anything else; outside quotes a backslash keeps the next
 * character literally. Adjacent pieces join into one word ({@code a'b'"c"} is {@code abc}).
 */
final class CommandSplitter {
    private CommandSplitter() {}

    /** One part of a line: its words, or why it could not be split. */
    sealed interface Part permits Words, Unsplittable {}

    /** A command and its args; never empty. */
    record Words(List<String> words) implements Part {
        String command() {
            return words.getFirst();
        }

        List<String> args() {
            return words.subList(1, words.size());
        }
    }

    record Unsplittable(String text, String reason) implements Part {}

    /** The parts of {@code line} in order, skipping parts with no words. */
    static List<Part> split(String line) {
        List<Part> parts = new ArrayList<>();
        for (String text : line.split(";", -1)) {
            Part part = words(text);
            if (part instanceof Words w && w.words().isEmpty()) continue;
            parts.add(part);
        }
        return parts;
    }

    static Part words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (isSpace(c)) {
                if (inWord) words.add(word.toString());
                word.setLength(0);
                inWord = false;
                i++;
                continue;
            }
            inWord = true;
            switch (c) {
                case '\'' -> {
                    int close = text.indexOf('\'', i + 1);
                    if (close < 0) return new Unsplittable(text, "unmatched single quote");
                    word.append(text, i + 1, close);
                    i = close + 1;
                }
                case '"' -> {
                    int close = doubleQuoted(text, i + 1, word);
                    if (close < 0) return new Unsplittable(text, "unmatched double quote");
                    i = close + 1;
                }
                case '\\' -> {
                    if (i + 1 < n) {
                        word.append(text.charAt(i + 1));
                        i += 2;
                    } else {
                        word.append('\\');
                        i++;
                    }
                }
                default -> {
                    word.append(c);
                    i++;
                }
            }
        }
        if (inWord) words.add(word.toString());
        return new Words(List.copyOf(words));
    }

    /** Appends the contents of a double-quoted string starting at {@code from}; the closing quote's index, or -1. */
    private static int doubleQuoted(String text, int from, StringBuilder word) {
        int i = from;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') return i;
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(i + 1);
                if (next != '$' && next != '`' && next != '"' && next != '\\' && next != '\n') word.append('\\');
                word.append(next);
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        return -1;
    }

    /** Ruby's {@code \s}: space, tab, newline, vertical tab, form feed, carriage return. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }
}
