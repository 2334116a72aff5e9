package einhorn.master.cli;

import einhorn.master.listen.ListenSpec;

import java.util.List;

/**
 * Everything the command line decided, validated (SPEC §2). Immutable; the runtime-changeable
 * settings (number, seconds, verbosity, ...) are copied into the master's state at start.
 *
 * @param ackTimeout seconds for the timer ack mode, or null for manual acks
 */
public record Config(
        List<ListenSpec> binds,
        String cmdName,
        String socketPath,
        String pidfile,
        String lockfile,
        boolean commandSocketAsFd,
        boolean killChildrenOnExit,
        int backlog,
        Double ackTimeout,
        int number,
        String preloadPath,
        int verbosity,
        double seconds,
        Integer signalTimeout,
        List<String> dropEnvVars,
        String reexecAs,
        Nice nice,
        Integer withStateFd,
        boolean upgradeCheck,
        Integer maxUnacked,
        Integer maxUpgradeAdditional,
        boolean gcBeforeFork,
        int maxConnections,
        List<String> origCmd,
        List<String> cmd) {

    /** `--nice M[:W[:CMD]]` (SPEC §13.3). */
    public record Nice(Integer master, Integer worker, String reniceCmd) {}

    public boolean manualAck() {
        return ackTimeout == null;
    }
}
