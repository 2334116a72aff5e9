package einhorn.master;

import einhorn.master.cli.Config;
import einhorn.master.control.CommandServer;
import einhorn.master.loop.EventLoop;
import einhorn.master.upgrade.Cull;
import einhorn.master.upgrade.Upgrade;
import einhorn.master.workers.Pool;
import einhorn.master.workers.Replenish;
import einhorn.master.workers.SignalNames;
import einhorn.master.workers.Worker;
import einhorn.posix.Signal;

import java.util.List;

/**
 * The master's state and every reaction to an input: signals, child exits, acks and commands
 * all arrive here on the loop thread. After each batch of events: reap, then replenish, then
 * cull (SPEC §1.3).
 */
public final class Master implements EventLoop.Turn {
    private final Config config;
    private final Settings settings;
    private final Log log;
    private final Clock clock;
    private final int pid;
    private final Pool pool;
    private final Replenish replenish;
    private final Upgrade upgrade = new Upgrade();
    private final CommandServer server;
    private final Cull cull;
    private final einhorn.master.workers.Leftovers leftovers;
    private final Files files;
    private final int[] listenFds;
    private final int[] boundPorts;
    private final String launcherPath;
    private final java.util.Map<String, String> startEnv;
    private final java.util.Map<String, String> launcherHints;

    private int version;
    private int generation;
    private boolean respawn = true;
    private long shutdownFlushDeadline = -1;
    private int exitStatus = -1;

    public Master(Config config, Settings settings, Log log, Clock clock, int pid, Pool pool, CommandServer server,
                  Files files, int[] listenFds, int[] boundPorts, String launcherPath,
                  java.util.Map<String, String> startEnv, java.util.Map<String, String> launcherHints) {
        this.launcherHints = launcherHints;
        this.listenFds = listenFds;
        this.launcherPath = launcherPath;
        this.startEnv = startEnv;
        this.config = config;
        this.settings = settings;
        this.log = log;
        this.clock = clock;
        this.pid = pid;
        this.pool = pool;
        this.server = server;
        this.files = files;
        this.boundPorts = boundPorts;
        this.replenish = new Replenish(pool, settings, log, clock);
        this.cull = new Cull(pool, settings, upgrade, log, clock, server);
        this.leftovers = new einhorn.master.workers.Leftovers(log, clock);
    }

    public Config config() { return config; }
    public Settings settings() { return settings; }
    public Log log() { return log; }
    public int pid() { return pid; }
    public boolean respawning() { return respawn; }

    /** The exit status once the master has finished, else -1. */
    public int exitStatus() { return exitStatus; }

    // ---- the loop turn -------------------------------------------------------------------

    @Override
    public void afterEvents() {
        for (Pool.Exited e : pool.reap()) {
            exited(e);
        }
        fireAckTimers();
        if (respawn) {
            replenish.run(version);
        }
        cull.run(version);
        leftovers.run();
        // Replies streamed from timers and child exits (upgrade progress) may have left output
        // unsent: arm those connections for writing.
        server.settleAll();
        if (!respawn && pool.isEmpty() && !leftovers.pending() && exitStatus < 0 && shutdownFlushDeadline < 0) {
            finishShutdown();
        }
    }

    @Override
    public long nextDeadline() {
        long next = Math.min(Math.min(replenish.nextDue(version, respawn), cull.nextEscalation()),
                leftovers.nextDeadline());
        if (config.ackTimeout() != null) {
            long timeout = Clock.seconds(config.ackTimeout());
            for (Worker w : pool.all()) {
                if (!w.acked() && w.version == version) {
                    next = Math.min(next, w.spinupTime + timeout);
                }
            }
        }
        if (shutdownFlushDeadline >= 0) {
            next = Math.min(next, clock.now() + 10_000_000L);
        }
        return next;
    }

    @Override
    public boolean finished() {
        if (shutdownFlushDeadline >= 0 && (!server.hasPendingOutput() || clock.now() >= shutdownFlushDeadline)) {
            exitStatus = 0;
        }
        return exitStatus >= 0;
    }

    private void finishShutdown() {
        log.info("Last worker has exited; shutting down.");
        shutdownFlushDeadline = clock.now() + 1_000_000_000L;
    }

    // ---- workers ---------------------------------------------------------------------------

    private void exited(Pool.Exited e) {
        Worker w = e.worker();
        String how = e.status() == null ? "status unknown: collected during the reload" : e.status().describe();
        if (w.acked()) {
            log.upgradeInfo("===> Exited worker " + w.pid + " (" + how + ")");
        } else {
            log.upgradeInfo("===> Exited worker " + w.pid + " before it was ACKed (" + how + ")");
            replenish.unackedDeath();
        }
        leftovers.workerExited(w.pid, settings.signalTimeout);
    }

    private void fireAckTimers() {
        if (config.ackTimeout() == null) {
            return;
        }
        long now = clock.now();
        long timeout = Clock.seconds(config.ackTimeout());
        for (Worker w : List.copyOf(pool.all())) {
            if (!w.acked() && w.version == version && now - w.spinupTime >= timeout) {
                log.info("Worker " + w.pid + " has been up for " + config.ackTimeout() + "s, so we are considering it alive.");
                recordAck(w, "timer");
            }
        }
    }

    /** A `worker:ack` from {@code workerPid} (SPEC §7.3). */
    public void ack(int workerPid) {
        Worker w = pool.get(workerPid);
        if (config.ackTimeout() != null) {
            log.info("Received a manual ACK from " + workerPid + " while in timer ACK mode; ignoring it.");
        } else if (w == null) {
            // Usually a worker that acked just before it exited: its line arrived after its reaping.
            log.info("Received an ACK from " + workerPid + ", which is not a live worker; ignoring it.");
        } else if (w.acked()) {
            log.info("Worker " + workerPid + " already ACKed; ignoring the repeat.");
        } else if (w.version < version) {
            log.info("Worker " + workerPid + " of old version " + w.version + " ACKed; it counts for nothing.");
        } else {
            recordAck(w, "manual");
        }
    }

    private void recordAck(Worker w, String mode) {
        pool.markAcked(w);
        int streak = replenish.consecutiveDeaths();
        replenish.resetDeaths();
        int up = pool.upCount(version);
        log.info("Up to " + up + " / " + settings.number + " " + mode + " ACKs"
                + (streak > 0 ? ", breaking the streak of " + streak + " consecutive unacked workers dying" : ""));
    }

    /** A `worker:ping` (SPEC §6.7). */
    public void ping(int workerPid, Object requestId) {
        Worker w = pool.get(workerPid);
        if (w == null) {
            log.info("Received a ping from " + workerPid + ", which is not a live worker; ignoring it.");
            return;
        }
        w.ping(clock.now(), requestId);
    }

    // ---- commands --------------------------------------------------------------------------

    public void setNumber(int n) {
        log.info("Changing number of workers from " + settings.number + " -> " + n);
        settings.number = n;
    }

    public int setVerbosity(int v) {
        log.setVerbosity(v);
        log.info("Verbosity set to " + log.verbosity());
        return log.verbosity();
    }

    /** Unrecorded signal to every live worker; returns how many it reached. */
    public int signalAll(SignalNames.Named sig) {
        return pool.signalUnrecorded(sig.number());
    }

    /** `die`: a recorded signal to every worker and no more respawning. Returns the worker count. */
    public int die(SignalNames.Named sig) {
        stopRespawning();
        List<Worker> all = List.copyOf(pool.all());
        pool.signalRecorded(all, sig.name(), sig.number());
        return all.size();
    }

    /**
     * Starts an upgrade (SPEC §8.1): reload the master in place, and the new image begins the
     * upgrade. Returns null if the upgrade could not start (shutting down), else the reason the
     * reload failed (a successful reload does not return).
     */
    public String upgrade(Upgrade.Kind kind) {
        if (!respawn) {
            log.info("Not upgrading einhorn because we're exiting");
            return null;
        }
        String failed = reload(kind);
        return failed == null ? "" : failed;
    }

    /**
     * Reloads the master in place (SPEC §9): probe, then exec with the state handed over.
     * Returns the reason it failed; on success the new image carries on and this never returns.
     */
    public String reload(Upgrade.Kind forUpgrade) {
        java.util.Map<String, String> reloadEnv = new java.util.LinkedHashMap<>(startEnv);
        config.dropEnvVars().forEach(reloadEnv::remove);
        // bin/einhorn's fork-free path: while it runs, the process is a shell, and a shell that
        // forked (to find Java, say) would reap our exited workers with its own waitpid(-1).
        reloadEnv.putAll(launcherHints);
        List<String> words = config.reexecAs() != null
                ? einhorn.master.cli.ShellWords.split(config.reexecAs()) : List.of(launcherPath);
        einhorn.master.reload.Reexec reexec = new einhorn.master.reload.Reexec(log, words, config.cmd(), reloadEnv,
                config.killChildrenOnExit());
        String failed = reexec.probe();
        if (failed != null) {
            log.upgradeError("Can not initiate einhorn master reload safely, aborting: " + failed);
            return failed;
        }
        java.util.Map<String, Object> runtime = runtimeState(forUpgrade);
        byte[] state = einhorn.master.reload.HandOver.write(config, settings, log.verbosity(), launcherPath, runtime,
                listenFds, boundPorts, server.listenFd(), server.toState(), pool.toState());
        List<Integer> keep = new java.util.ArrayList<>(server.fds());
        for (int fd : listenFds) {
            keep.add(fd);
        }
        failed = reexec.exec(state, keep);
        log.upgradeError("Could not reload! Attempting to continue. (" + failed + ")");
        return failed;
    }

    private java.util.Map<String, Object> runtimeState(Upgrade.Kind forUpgrade) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("version", version);
        m.put("generation", generation);
        m.put("respawn", respawn);
        m.put("upgrading", upgrade.upgrading());
        m.put("smooth_upgrade", upgrade.smooth());
        m.put("last_upgraded", upgrade.lastUpgraded());
        m.put("reloading_for_upgrade", forUpgrade == null ? null : forUpgrade.name());
        m.put("spawn", replenish.toState());
        m.put("files", files.toState());
        return m;
    }

    /**
     * Continues from the previous image's state (SPEC §9.5). {@code exited} are children that
     * died during the exec; an upgrade that the reload was for starts now.
     */
    public void restore(java.util.Map<?, ?> runtime, List<Pool.Exited> exited) {
        version = runtime.get("version") instanceof Number n ? n.intValue() : 0;
        generation = (runtime.get("generation") instanceof Number n ? n.intValue() : 0) + 1;
        upgrade.restore(Boolean.TRUE.equals(runtime.get("upgrading")),
                !Boolean.FALSE.equals(runtime.get("smooth_upgrade")),
                runtime.get("last_upgraded") instanceof Number n ? n.longValue() : -1);
        if (runtime.get("spawn") instanceof java.util.Map<?, ?> spawn) {
            replenish.restore(spawn);
        }
        if (runtime.get("files") instanceof java.util.Map<?, ?> f) {
            files.restore(f);
        }
        for (Pool.Exited e : exited) {
            exited(e);
        }
        log.info("Reloaded: generation " + generation + ", version " + version + ", " + pool.size() + " workers");
        server.finishTagged("reload", "Reload done (generation " + generation + ")", false);
        if (runtime.get("reloading_for_upgrade") instanceof String kind) {
            beginUpgrade(Upgrade.Kind.valueOf(kind));
        }
    }

    /** The upgrade proper, in the reloaded image (SPEC §8.1). */
    private void beginUpgrade(Upgrade.Kind kind) {
        String name = kind == Upgrade.Kind.SMOOTH ? "smooth" : "fleet";
        if (upgrade.upgrading()) {
            int acked = pool.upCount(version);
            log.upgradeInfo("Currently upgrading (" + acked + " / " + settings.number
                    + " ACKs; bumping version and starting over)...");
        } else {
            log.upgradeInfo("Starting " + name + " upgrade from version " + version + "...");
        }
        upgrade.begin(kind, clock.now());
        replenish.resetDeaths();
        version++;
        if (kind == Upgrade.Kind.FLEET) {
            replenish.spawnNow(version, settings.number);
        }
    }

    private void stopRespawning() {
        if (respawn) {
            respawn = false;
            upgrade.abandon();
            server.finishAll("Upgrade aborted: Einhorn is shutting down", true);
        }
    }

    // ---- signals ---------------------------------------------------------------------------

    /** A signal to the master, read from the signalfd (SPEC §10). */
    public void onSignal(int signo) {
        Signal s = Signal.of(signo);
        if (s == null) {
            return;
        }
        switch (s) {
            case INT, USR2 -> shutdown(s, "USR2", Signal.USR2.number());
            case TERM -> shutdown(s, "TERM", Signal.TERM.number());
            case QUIT -> quit();
            case HUP -> signalUpgrade("HUP");
            case ALRM -> {
                log.error("Upgrading using SIGALRM is deprecated. Please switch to SIGHUP");
                signalUpgrade("ALRM");
            }
            case USR1 -> log.info("Received SIGUSR1; ignoring");
            default -> { } // CHLD: the turn reaps. WINCH, PIPE: ignored.
        }
    }

    private void shutdown(Signal received, String name, int number) {
        List<Worker> all = List.copyOf(pool.all());
        if (respawn) {
            log.info("Received SIG" + received + "; sending " + name + " to " + all.size() + " workers and exiting once they are gone.");
            stopRespawning();
        } else {
            log.info("Received SIG" + received + " again during shutdown; re-sending " + name + " to " + all.size() + " workers.");
        }
        pool.signalRecorded(all, name, number);
    }

    private void signalUpgrade(String name) {
        if (!respawn) {
            log.info("Received SIG" + name + " during shutdown; ignoring it.");
            return;
        }
        upgrade(Upgrade.Kind.SMOOTH);
    }

    private void quit() {
        respawn = false; // nothing may be spawned in the turn that ends with the exit
        log.info("Received SIGQUIT; sending QUIT to " + pool.size() + " workers and exiting at once.");
        for (Worker w : List.copyOf(pool.all())) {
            einhorn.posix.Posix.kill(w.pid, Signal.QUIT.number());
        }
        exitStatus = 1;
    }

    /** SPEC §13.1: with -k, workers still live when the master exits by its own path get USR2. */
    public void killChildrenOnExit() {
        if (config.killChildrenOnExit() && !pool.isEmpty()) {
            log.info("Sending USR2 to " + pool.size() + " workers because of -k");
            for (Worker w : List.copyOf(pool.all())) {
                einhorn.posix.Posix.kill(w.pid, Signal.USR2.number());
            }
        }
    }

    // ---- state -----------------------------------------------------------------------------

    /** The `state` tree (SPEC §6.3), with symbol keys; the writers render it as YAML or JSON. */
    public Object stateTree() {
        return StateTree.build(new StateTree.Snapshot(config, settings, log.verbosity(), clock, pool.all(),
                version, generation, respawn, upgrade, replenish.lastSpinup(), replenish.consecutiveDeaths(),
                boundPorts));
    }
}
