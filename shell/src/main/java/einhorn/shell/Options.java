package einhorn.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line of SPEC §15.1, {@code einhornsh [-c NAME] [-d PATH] [-e "CMD; CMD"] [-h] [NAME]}, parsed by
 * hand: start-up time matters more than a parser library here. Options and the NAME word may come in any
 * order, as with Ruby's OptionParser; {@code --} ends the options. Long forms and attached values
 * ({@code -cweb}, {@code --socket-path=/x}) are accepted too. A repeated option keeps its last value.
 *
 * @param name     the master's {@code -c} name, from {@code -c} or else the single positional word; null if none
 * @param path     the {@code -d} socket path, or null for the default of {@code name}
 * @param commands the {@code -e} text, or null to read commands from stdin
 */
record Options(String name, String path, String commands) {
    static final String USAGE = """
            Usage: einhornsh [-c NAME] [-d PATH] [-e "CMD; CMD"] [-h] [NAME]
            Send commands to a running Einhorn master over its command socket.

              -c, --command-name NAME   talk to the master started with -c NAME
              -d, --socket-path PATH    talk to the command socket at PATH (overrides NAME)
              -e, --execute "CMD; CMD"  run these commands, then exit (default: read commands from stdin)
              -h, --help                show this help

            NAME may also be given as the only positional word.
            """;

    /** Why the command line was refused; {@code message} is null for {@code -h}. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    static Options parse(String[] args) throws UsageException {
        String name = null;
        String path = null;
        String commands = null;
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                words.addAll(List.of(args).subList(i + 1, args.length));
                break;
            }
            if (arg.equals("-h") || arg.equals("--help")) throw new UsageException(null);
            if (!arg.startsWith("-") || arg.equals("-")) {
                words.add(arg);
                continue;
            }
            char which = optionLetter(arg);
            String value = attachedValue(arg);
            if (value == null) {
                if (i + 1 >= args.length) throw new UsageException("option " + arg + " needs a value");
                value = args[++i];
            }
            switch (which) {
                case 'c' -> name = value;
                case 'd' -> path = value;
                default -> commands = value;
            }
        }
        if (words.size() > 1) {
            throw new UsageException("expected at most one NAME, got " + words.size() + ": " + String.join(" ", words));
        }
        if (name == null && !words.isEmpty()) name = words.getFirst();
        return new Options(name, path, commands);
    }

    private static char optionLetter(String arg) throws UsageException {
        if (arg.startsWith("--")) {
            String longName = arg.contains("=") ? arg.substring(2, arg.indexOf('=')) : arg.substring(2);
            return switch (longName) {
                case "command-name" -> 'c';
                case "socket-path" -> 'd';
                case "execute" -> 'e';
                default -> throw new UsageException("unknown option " + arg);
            };
        }
        char c = arg.charAt(1);
        if (c != 'c' && c != 'd' && c != 'e') throw new UsageException("unknown option " + arg);
        return c;
    }

    /** The value written in the same word, or null if it is the next word. */
    private static String attachedValue(String arg) {
        if (arg.startsWith("--")) {
            int eq = arg.indexOf('=');
            return eq < 0 ? null : arg.substring(eq + 1);
        }
        return arg.length() > 2 ? arg.substring(2) : null;
    }
}
