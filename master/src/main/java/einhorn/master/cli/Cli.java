package einhorn.master.cli;

import einhorn.master.Version;
import einhorn.master.listen.ListenSpec;
import einhorn.protocol.SocketPaths;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the command line into one validated {@link Config} (SPEC §2). Options are parsed in order
 * and stop at the first word that is not an option; every bad value is reported as one line
 * naming the option, before anything is created.
 *
 * <p>Both the option parser ({@link Options}) and the number checks are written by hand, for
 * start-up time: the master must have its first worker running within 300 ms of launch, and
 * {@code -Xlog:class+init} showed picocli taking about 100 ms of that (its model, interpolator,
 * help colour scheme and built-in converters all run cold in the interpreter). The two
 * {@code java.util.regex} patterns this class used to compile in its static initializer made
 * every start initialize the regex classes too. The parse path therefore uses plain loops and
 * string switches: no regex, lambdas, streams or {@code String.format}.
 */
public final class Cli {
    private Cli() {}

    /** Parses and validates; {@code env} supplies PATH and TMPDIR. */
    public static Config parse(String[] args, Map<String, String> env) throws UsageException {
        args = untilUpgradeCheck(args);
        Options o = Options.parse(args);
        if (o.help) {
            throw new UsageException(Usage.LONG, 1, true);
        }
        if (o.version) {
            throw new UsageException(Version.VERSION, 0, true);
        }
        List<ListenSpec> binds = new ArrayList<>();
        for (String b : o.binds) {
            try {
                binds.add(ListenSpec.parse(b));
            } catch (IllegalArgumentException e) {
                throw invalid("-b", b, e.getMessage());
            }
        }
        int backlog = integer("-l", o.backlog, 100, 0);
        Double ackTimeout = ackMode(o.ackMode);
        int number = integer("-n", o.number, 1, 1);
        double seconds = o.seconds == null ? 1.0 : positive("-s", o.seconds);
        Integer signalTimeout = o.signalTimeout == null ? null : integer("-t", o.signalTimeout, 0, 1);
        Integer maxUnacked = o.maxUnacked == null ? null : integer("--max-unacked", o.maxUnacked, 0, 1);
        Integer maxAdditional = o.maxUpgradeAdditional == null ? null
                : integer("--max-upgrade-additional", o.maxUpgradeAdditional, 0, 1);
        int maxConnections = integer("--max-connections", o.maxConnections, 1000, 1);
        Integer stateFd = o.withStateFd == null ? null : integer("--with-state-fd", o.withStateFd, 0, 0);
        Config.Nice nice = o.nice == null ? null : nice(o.nice);
        if (o.reexecAs != null) {
            try {
                ShellWords.split(o.reexecAs);
            } catch (IllegalArgumentException e) {
                throw invalid("--reexec-as", o.reexecAs, e.getMessage());
            }
        }
        if (o.cmdName != null && o.cmdName.indexOf('/') >= 0
                && (o.socketPath == null || o.pidfile == null || o.lockfile == null)) {
            throw invalid("-c", o.cmdName, "a name with '/' cannot make the default file names einhorn-NAME.*;"
                    + " choose another name or give all of -d, -e and -f");
        }
        if (o.upgradeCheck) {
            return build(o, binds, backlog, ackTimeout, number, seconds, signalTimeout, maxUnacked, maxAdditional,
                    maxConnections, stateFd, nice, List.of(), List.of(), env);
        }
        if (stateFd != null) {
            // A reloaded image takes everything from the hand-over state; the command is never re-resolved.
            List<String> words = List.copyOf(o.command);
            return build(o, binds, backlog, ackTimeout, number, seconds, signalTimeout, maxUnacked, maxAdditional,
                    maxConnections, stateFd, nice, words, words, env);
        }
        if (o.command.isEmpty()) {
            throw new UsageException(Usage.SHORT, 1, true);
        }
        List<String> cmd = new ArrayList<>(o.command);
        cmd.set(0, resolve(o.command.getFirst(), env.get("PATH")));
        return build(o, binds, backlog, ackTimeout, number, seconds, signalTimeout, maxUnacked, maxAdditional,
                maxConnections, stateFd, nice, List.copyOf(o.command), List.copyOf(cmd), env);
    }

    private static Config build(Options o, List<ListenSpec> binds, int backlog, Double ackTimeout, int number,
                                double seconds, Integer signalTimeout, Integer maxUnacked, Integer maxAdditional,
                                int maxConnections,
                                Integer stateFd, Config.Nice nice, List<String> origCmd, List<String> cmd,
                                Map<String, String> env) {
        String name = o.cmdName;
        return new Config(List.copyOf(binds), name,
                o.socketPath != null ? o.socketPath : SocketPaths.defaultPath(name, "sock"),
                o.pidfile != null ? o.pidfile : SocketPaths.defaultPath(name, "pid"),
                o.lockfile != null ? o.lockfile : SocketPaths.defaultPath(name, "lock"),
                o.commandSocketAsFd, o.killChildrenOnExit, backlog, ackTimeout, number, o.preload,
                o.verbosity, seconds, signalTimeout, List.copyOf(o.dropEnvVars), o.reexecAs, nice, stateFd,
                o.upgradeCheck, maxUnacked, maxAdditional, o.gcBeforeFork, maxConnections, origCmd, cmd);
    }

    /** SPEC §2.4: a word with '/' must exist as written; otherwise the first existing $PATH entry wins. */
    static String resolve(String word, String path) throws UsageException {
        if (word.contains("/")) {
            if (new File(word).exists()) {
                return word;
            }
            throw UsageException.invalid("worker command \"" + word + "\" does not exist");
        }
        String found = lookup(word, path);
        if (found != null) {
            return found;
        }
        throw UsageException.invalid("worker command \"" + word + "\" not found in $PATH");
    }

    /** The first {@code DIR/word} that exists, over the non-empty entries of {@code path}; else null. */
    public static String lookup(String word, String path) {
        if (!word.isEmpty() && path != null) {
            for (String dir : path.split(":", -1)) {
                if (!dir.isEmpty() && new File(dir, word).exists()) {
                    return new File(dir, word).getPath();
                }
            }
        }
        return null;
    }

    /** SPEC §2.5: everything after `--upgrade-check` is ignored. */
    private static String[] untilUpgradeCheck(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                break;
            }
            if (args[i].equals("--upgrade-check")) {
                return java.util.Arrays.copyOf(args, i + 1);
            }
        }
        return args;
    }

    private static Double ackMode(String v) throws UsageException {
        if (v == null) {
            return 1.0;
        }
        if (v.equals("manual")) {
            return null;
        }
        if (!isDecimal(v) || !(Double.parseDouble(v) >= 0) || Double.isInfinite(Double.parseDouble(v))) {
            throw invalid("-m", v, "must be \"manual\" or a number of seconds >= 0");
        }
        return Double.parseDouble(v);
    }

    private static int integer(String flag, String v, int dflt, int min) throws UsageException {
        if (v == null) {
            return dflt;
        }
        if (!isInteger(v)) {
            throw invalid(flag, v, "must be an integer >= " + min);
        }
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            n = Long.MAX_VALUE;
        }
        if (n < min || n > Integer.MAX_VALUE) {
            throw invalid(flag, v, "must be an integer >= " + min + (n > Integer.MAX_VALUE ? " and <= " + Integer.MAX_VALUE : ""));
        }
        return (int) n;
    }

    private static double positive(String flag, String v) throws UsageException {
        if (!isDecimal(v)) {
            throw invalid(flag, v, "must be a number of seconds > 0");
        }
        double d = Double.parseDouble(v);
        if (!(d > 0) || Double.isInfinite(d)) {
            throw invalid(flag, v, "must be a number of seconds > 0");
        }
        return d;
    }

    private static Config.Nice nice(String v) throws UsageException {
        String[] f = v.split(":", -1);
        if (f.length > 3) {
            throw invalid("--nice", v, "expected MASTER[:WORKER[:CMD]] (at most 3 fields)");
        }
        Integer master = niceLevel(v, f[0]);
        Integer worker = f.length > 1 ? niceLevel(v, f[1]) : null;
        String cmd = "/usr/bin/renice";
        if (f.length > 2) {
            if (f[2].isBlank()) {
                throw invalid("--nice", v, "the renice command after the second ':' is empty");
            }
            cmd = f[2];
        }
        return new Config.Nice(master, worker, cmd);
    }

    private static Integer niceLevel(String whole, String level) throws UsageException {
        if (!isInteger(level) || level.length() > 4) {
            throw invalid("--nice", whole, "nice level \"" + level + "\" is not an integer");
        }
        return Integer.parseInt(level);
    }

    private static UsageException invalid(String flag, String value, String why) {
        return UsageException.invalid("invalid " + flag + " \"" + value + "\": " + why);
    }

    /** The old {@code [+-]?[0-9]+}: an optional sign and one or more ASCII digits. */
    public static boolean isInteger(String s) {
        int i = s.isEmpty() || (s.charAt(0) != '+' && s.charAt(0) != '-') ? 0 : 1;
        int digits = digits(s, i);
        return digits > 0 && i + digits == s.length();
    }

    /**
     * The old {@code [+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?}: an optional sign, a
     * mantissa with at least one ASCII digit ({@code 5}, {@code 5.}, {@code 5.25}, {@code .5}), then
     * optionally {@code e} or {@code E}, an optional sign and one or more digits.
     */
    static boolean isDecimal(String s) {
        int n = s.length();
        int i = n == 0 || (s.charAt(0) != '+' && s.charAt(0) != '-') ? 0 : 1;
        int whole = digits(s, i);
        i += whole;
        int fraction = 0;
        if (i < n && s.charAt(i) == '.') {
            fraction = digits(s, i + 1);
            i += 1 + fraction;
        }
        if (whole == 0 && fraction == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exponent = digits(s, i);
            if (exponent == 0) {
                return false;
            }
            i += exponent;
        }
        return i == n;
    }

    /** How many ASCII digits start at {@code from}. */
    private static int digits(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i - from;
    }

    /**
     * The parsed words, by a hand-written in-order parser (see the class comment for why not a
     * library). Rules (SPEC §2.1):
     * <ul>
     * <li>Parsing stops at the first word that is not an option: a word not starting with
     *     {@code -}, the empty word, or a lone {@code -}. That word and everything after it is the
     *     worker command. {@code --} ends the options and is dropped.</li>
     * <li>Short value options take the rest of their word ({@code -n4}; a single {@code =} right
     *     after the letter is dropped, {@code -n=4}, as picocli did) or else the next word. Short
     *     flags cluster ({@code -kgn3}); a value option in a cluster ends it.</li>
     * <li>Long options are matched exactly, never abbreviated; {@code --name=value} or
     *     {@code --name value}. A flag given {@code =value} is an error.</li>
     * <li>A value taken from the next word must not itself be an option this parser knows
     *     ({@code --}, {@code --help}, {@code --number=5}, {@code -q}, {@code -kq}, {@code -n3}):
     *     that is an error, as it was with picocli, since it almost always means a forgotten value.
     *     Other words starting with {@code -} ({@code -1}, {@code -x}, {@code --bogus}) are values
     *     and reach validation as such.</li>
     * <li>Repeats: the last value wins, except {@code -b} and {@code --drop-env-var} (collected in
     *     order) and {@code -q}/{@code -v} (each moves the verbosity by one, within 0..2).</li>
     * </ul>
     * Every error is one {@link UsageException#invalid} line naming the option.
     */
    static final class Options {
        // Keys for the options that have no short form (the short ones use their own letter).
        private static final char DROP_ENV_VAR = 'D';
        private static final char REEXEC_AS = 'R';
        private static final char NICE = 'N';
        private static final char WITH_STATE_FD = 'S';
        private static final char MAX_UNACKED = 'U';
        private static final char MAX_UPGRADE_ADDITIONAL = 'A';
        private static final char MAX_CONNECTIONS = 'C';
        private static final char UPGRADE_CHECK = 'X';
        private static final char GC_BEFORE_FORK = 'G';
        private static final char VERSION = 'V';

        final List<String> binds = new ArrayList<>();
        final List<String> dropEnvVars = new ArrayList<>();
        String cmdName;
        String socketPath;
        String pidfile;
        String lockfile;
        boolean commandSocketAsFd;
        boolean help;
        boolean killChildrenOnExit;
        String backlog;
        String ackMode;
        String number;
        String preload;
        String seconds;
        String signalTimeout;
        String reexecAs;
        String nice;
        String withStateFd;
        boolean upgradeCheck;
        String maxUnacked;
        String maxUpgradeAdditional;
        String maxConnections;
        boolean gcBeforeFork;
        boolean version;
        /** The worker command and its arguments; empty if none was given. */
        final List<String> command = new ArrayList<>();
        int verbosity = 1;

        static Options parse(String[] args) throws UsageException {
            Options o = new Options();
            int i = 0;
            while (i < args.length) {
                String arg = args[i];
                if (arg.equals("--")) {
                    i++;
                    break;
                }
                if (arg.length() < 2 || arg.charAt(0) != '-') {
                    break;
                }
                i++;
                if (arg.charAt(1) == '-') {
                    int eq = arg.indexOf('=');
                    String name = eq < 0 ? arg : arg.substring(0, eq);
                    char key = longOption(name);
                    if (key == 0) {
                        throw UsageException.invalid("unknown option '" + (name.length() > 2 ? name : arg) + "'");
                    }
                    if (!takesValue(key)) {
                        if (eq >= 0) {
                            throw UsageException.invalid("option '" + name + "' takes no value (got '" + arg + "')");
                        }
                        o.flag(key);
                    } else if (eq >= 0) {
                        o.value(key, arg.substring(eq + 1));
                    } else {
                        o.value(key, nextValue(args, i++, name, key));
                    }
                    continue;
                }
                for (int j = 1; j < arg.length(); j++) {
                    char key = arg.charAt(j);
                    if (!isShortOption(key)) {
                        throw UsageException.invalid(Character.isSurrogate(key) ? "unknown option '" + arg + "'"
                                : "unknown option '-" + key + "'" + (arg.length() > 2 ? " in '" + arg + "'" : ""));
                    }
                    boolean attached = j + 1 < arg.length();
                    if (!takesValue(key)) {
                        if (attached && arg.charAt(j + 1) == '=') {
                            throw UsageException.invalid("option '-" + key + "' takes no value (got '" + arg + "')");
                        }
                        o.flag(key);
                    } else if (attached) {
                        o.value(key, arg.substring(arg.charAt(j + 1) == '=' ? j + 2 : j + 1));
                        break;
                    } else {
                        o.value(key, nextValue(args, i++, null, key));
                    }
                }
            }
            while (i < args.length) {
                o.command.add(args[i++]);
            }
            return o;
        }

        /**
         * The value of an option given as the separate word {@code args[i]}; {@code longName} is the
         * long name as written, or null for short option {@code key} (named only when failing).
         */
        private static String nextValue(String[] args, int i, String longName, char key) throws UsageException {
            if (i >= args.length) {
                throw UsageException.invalid("missing value for option '" + (longName != null ? longName : "-" + key) + "'");
            }
            String v = args[i];
            if (isOption(v)) {
                throw UsageException.invalid("expected a value for option '" + (longName != null ? longName : "-" + key)
                        + "' but found '" + v + "'");
            }
            return v;
        }

        /** A word that would parse as an option: {@code --}, a known long option, or a cluster starting with a known letter. */
        static boolean isOption(String word) {
            if (word.length() < 2 || word.charAt(0) != '-') {
                return false;
            }
            if (word.charAt(1) != '-') {
                return isShortOption(word.charAt(1));
            }
            if (word.length() == 2) {
                return true;
            }
            int eq = word.indexOf('=');
            return longOption(eq < 0 ? word : word.substring(0, eq)) != 0;
        }

        private static boolean isShortOption(char c) {
            switch (c) {
                case 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'q', 's', 't', 'v':
                    return true;
                default:
                    return false;
            }
        }

        /** The key of long option {@code name} (with its dashes), or 0 if there is none of that exact name. */
        private static char longOption(String name) {
            switch (name) {
                case "--bind": return 'b';
                case "--command-name": return 'c';
                case "--socket-path": return 'd';
                case "--pidfile": return 'e';
                case "--lockfile": return 'f';
                case "--command-socket-as-fd": return 'g';
                case "--help": return 'h';
                case "--kill-children-on-exit": return 'k';
                case "--backlog": return 'l';
                case "--ack-mode": return 'm';
                case "--number": return 'n';
                case "--preload": return 'p';
                case "--quiet": return 'q';
                case "--seconds": return 's';
                case "--signal-timeout": return 't';
                case "--verbose": return 'v';
                case "--drop-env-var": return DROP_ENV_VAR;
                case "--reexec-as": return REEXEC_AS;
                case "--nice": return NICE;
                case "--with-state-fd": return WITH_STATE_FD;
                case "--upgrade-check": return UPGRADE_CHECK;
                case "--max-unacked": return MAX_UNACKED;
                case "--max-upgrade-additional": return MAX_UPGRADE_ADDITIONAL;
                case "--max-connections": return MAX_CONNECTIONS;
                case "--gc-before-fork": return GC_BEFORE_FORK;
                case "--version": return VERSION;
                default: return 0;
            }
        }

        private static boolean takesValue(char key) {
            switch (key) {
                case 'g', 'h', 'k', 'q', 'v', UPGRADE_CHECK, GC_BEFORE_FORK, VERSION:
                    return false;
                default:
                    return true;
            }
        }

        private void flag(char key) {
            switch (key) {
                case 'g' -> commandSocketAsFd = true;
                case 'h' -> help = true;
                case 'k' -> killChildrenOnExit = true;
                case 'q' -> verbosity = Math.min(2, verbosity + 1);
                case 'v' -> verbosity = Math.max(0, verbosity - 1);
                case UPGRADE_CHECK -> upgradeCheck = true;
                case GC_BEFORE_FORK -> gcBeforeFork = true;
                case VERSION -> version = true;
                default -> throw new IllegalArgumentException("not a flag: " + key);
            }
        }

        private void value(char key, String v) {
            switch (key) {
                case 'b' -> binds.add(v);
                case 'c' -> cmdName = v;
                case 'd' -> socketPath = v;
                case 'e' -> pidfile = v;
                case 'f' -> lockfile = v;
                case 'l' -> backlog = v;
                case 'm' -> ackMode = v;
                case 'n' -> number = v;
                case 'p' -> preload = v;
                case 's' -> seconds = v;
                case 't' -> signalTimeout = v;
                case DROP_ENV_VAR -> dropEnvVars.add(v);
                case REEXEC_AS -> reexecAs = v;
                case NICE -> nice = v;
                case WITH_STATE_FD -> withStateFd = v;
                case MAX_UNACKED -> maxUnacked = v;
                case MAX_UPGRADE_ADDITIONAL -> maxUpgradeAdditional = v;
                case MAX_CONNECTIONS -> maxConnections = v;
                default -> throw new IllegalArgumentException("not a value option: " + key);
            }
        }
    }
}
