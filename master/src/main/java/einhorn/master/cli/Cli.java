package einhorn.master.cli;

import einhorn.master.Version;
import einhorn.master.listen.ListenSpec;
import einhorn.protocol.SocketPaths;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns the command line into one validated {@link Config} (SPEC §2). Options are parsed in order
 * and stop at the first word that is not an option; every bad value is reported as one line
 * naming the option, before anything is created.
 */
public final class Cli {
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    private Cli() {}

    /** Parses and validates; {@code env} supplies PATH and TMPDIR. */
    public static Config parse(String[] args, Map<String, String> env) throws UsageException {
        args = untilUpgradeCheck(args);
        Options o;
        try {
            o = Options.parse(args);
        } catch (CommandLine.ParameterException e) {
            throw UsageException.invalid(lowerFirst(e.getMessage()));
        }
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
        if (o.upgradeCheck) {
            return build(o, binds, backlog, ackTimeout, number, seconds, signalTimeout, maxUnacked, maxAdditional,
                    maxConnections, stateFd, nice, List.of(), List.of(), env);
        }
        if (stateFd != null) {
            // A reloaded image takes everything from the hand-over state; the command is never re-resolved.
            List<String> words = o.command == null ? List.of() : List.copyOf(o.command);
            return build(o, binds, backlog, ackTimeout, number, seconds, signalTimeout, maxUnacked, maxAdditional,
                    maxConnections, stateFd, nice, words, words, env);
        }
        if (o.command == null || o.command.isEmpty()) {
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
        if (!DECIMAL.matcher(v).matches() || !(Double.parseDouble(v) >= 0) || Double.isInfinite(Double.parseDouble(v))) {
            throw invalid("-m", v, "must be \"manual\" or a number of seconds >= 0");
        }
        return Double.parseDouble(v);
    }

    private static int integer(String flag, String v, int dflt, int min) throws UsageException {
        if (v == null) {
            return dflt;
        }
        if (!INTEGER.matcher(v).matches()) {
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
        if (!DECIMAL.matcher(v).matches()) {
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
        if (!INTEGER.matcher(level).matches() || level.length() > 4) {
            throw invalid("--nice", whole, "nice level \"" + level + "\" is not an integer");
        }
        return Integer.parseInt(level);
    }

    private static UsageException invalid(String flag, String value, String why) {
        return UsageException.invalid("invalid " + flag + " \"" + value + "\": " + why);
    }

    private static String lowerFirst(String s) {
        String line = s == null ? "invalid arguments" : s.lines().findFirst().orElse(s);
        return line.isEmpty() ? line : Character.toLowerCase(line.charAt(0)) + line.substring(1);
    }

    /**
     * The parsed words. The picocli model is built in code, not from annotations: annotation
     * processing (reflection, proxies) cost most of a master's start-up time. Each option's setter
     * runs once per occurrence, in command-line order, which is what makes -q/-v accumulate.
     */
    static final class Options {
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
        List<String> command;
        int verbosity = 1;

        static Options parse(String[] args) {
            Options o = new Options();
            CommandSpec spec = CommandSpec.create().name("einhorn");
            spec.addOption(value(o.binds::add, "-b", "--bind"));
            spec.addOption(value(v -> o.cmdName = v, "-c", "--command-name"));
            spec.addOption(value(v -> o.socketPath = v, "-d", "--socket-path"));
            spec.addOption(value(v -> o.pidfile = v, "-e", "--pidfile"));
            spec.addOption(value(v -> o.lockfile = v, "-f", "--lockfile"));
            spec.addOption(flag(() -> o.commandSocketAsFd = true, "-g", "--command-socket-as-fd"));
            spec.addOption(flag(() -> o.help = true, "-h", "--help"));
            spec.addOption(flag(() -> o.killChildrenOnExit = true, "-k", "--kill-children-on-exit"));
            spec.addOption(value(v -> o.backlog = v, "-l", "--backlog"));
            spec.addOption(value(v -> o.ackMode = v, "-m", "--ack-mode"));
            spec.addOption(value(v -> o.number = v, "-n", "--number"));
            spec.addOption(value(v -> o.preload = v, "-p", "--preload"));
            spec.addOption(flag(() -> o.verbosity = Math.min(2, o.verbosity + 1), "-q", "--quiet"));
            spec.addOption(flag(() -> o.verbosity = Math.max(0, o.verbosity - 1), "-v", "--verbose"));
            spec.addOption(value(v -> o.seconds = v, "-s", "--seconds"));
            spec.addOption(value(v -> o.signalTimeout = v, "-t", "--signal-timeout"));
            spec.addOption(value(o.dropEnvVars::add, "--drop-env-var"));
            spec.addOption(value(v -> o.reexecAs = v, "--reexec-as"));
            spec.addOption(value(v -> o.nice = v, "--nice"));
            spec.addOption(value(v -> o.withStateFd = v, "--with-state-fd"));
            spec.addOption(flag(() -> o.upgradeCheck = true, "--upgrade-check"));
            spec.addOption(value(v -> o.maxUnacked = v, "--max-unacked"));
            spec.addOption(value(v -> o.maxUpgradeAdditional = v, "--max-upgrade-additional"));
            spec.addOption(flag(() -> o.gcBeforeFork = true, "--gc-before-fork"));
            spec.addOption(value(v -> o.maxConnections = v, "--max-connections"));
            spec.addOption(flag(() -> o.version = true, "--version"));
            PositionalParamSpec command = PositionalParamSpec.builder().arity("0..*").paramLabel("COMMAND")
                    .type(List.class).auxiliaryTypes(String.class).build();
            spec.addPositional(command);
            new CommandLine(spec)
                    .setStopAtPositional(true)
                    .setOverwrittenOptionsAllowed(true)
                    .setAbbreviatedOptionsAllowed(false)
                    .setUnmatchedArgumentsAllowed(false)
                    .setPosixClusteredShortOptionsAllowed(true)
                    .setToggleBooleanFlags(false)
                    .parseArgs(args);
            List<String> words = command.getValue();
            o.command = words == null ? null : List.copyOf(words);
            return o;
        }

        private static OptionSpec value(java.util.function.Consumer<String> sink, String... names) {
            return OptionSpec.builder(names).arity("1").type(String.class).setter(new ISetter() {
                @Override
                public <T> T set(T v) {
                    if (v != null) {
                        sink.accept((String) v);
                    }
                    return null;
                }
            }).build();
        }

        private static OptionSpec flag(Runnable sink, String... names) {
            return OptionSpec.builder(names).arity("0").type(boolean.class).setter(new ISetter() {
                @Override
                public <T> T set(T v) {
                    if (Boolean.TRUE.equals(v)) {
                        sink.run();
                    }
                    return null;
                }
            }).build();
        }
    }
}
