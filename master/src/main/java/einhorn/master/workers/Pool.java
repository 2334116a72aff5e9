package einhorn.master.workers;

import einhorn.master.Clock;
import einhorn.master.Log;
import einhorn.posix.ErrnoException;
import einhorn.posix.ExitStatus;
import einhorn.posix.Io;
import einhorn.posix.Posix;
import einhorn.posix.Processes;
import einhorn.posix.Sockets;
import einhorn.posix.Spawn;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The live workers, in spawn order, and the only code that starts, signals and reaps them
 * (SPEC §4, §7.1, §7.2, §7.6 signal recording).
 */
public final class Pool {
    /**
     * How a worker is started; fixed for the life of a master image.
     *
     * @param pdeathsig   -k: arm USR2 as the parent-death signal before the command runs
     * @param reniceCmd   --nice ...:W:CMD: run "CMD W -p PID" before the command runs, or null
     */
    public record Launch(List<String> cmd, int[] listenFds, boolean[] nonBlock, String sockPath, boolean commandFd,
                         WorkerEnv env, boolean pdeathsig, String reniceCmd, Integer workerNice) {

        /**
         * O_NONBLOCK is shared by every holder of a listener, so a worker can change it for all;
         * the configured mode is put back before every spawn and after every reload (cases C13).
         */
        public void applyBlockingModes() {
            for (int i = 0; i < listenFds.length; i++) {
                Io.setNonBlocking(listenFds[i], nonBlock[i]);
            }
        }


        static final String SETPRIV = "/usr/bin/setpriv";

        /**
         * The program and argv that become the worker. Plain commands are exec'd directly; -k and
         * a worker nice level go through setpriv and /bin/sh, which then exec the command in the
         * same process, so pid, fds and environment are the worker's from the start.
         */
        List<String> argv() {
            boolean nice = workerNice != null;
            boolean death = pdeathsig && new java.io.File(SETPRIV).canExecute();
            if (!nice && !death) {
                return cmd;
            }
            StringBuilder script = new StringBuilder();
            if (death) {
                // The master may have died before the signal was armed: then never start the command.
                script.append("[ \"$PPID\" = \"$EINHORN_MASTER_PID\" ] || exit 1; ");
            }
            if (nice) {
                script.append(reniceCmd).append(' ').append(workerNice).append(" -p $$ >/dev/null || ")
                        .append("echo \"einhorn: renice of worker $$ failed (").append(reniceCmd.replace("\"", ""))
                        .append(")\" >&2; ");
            }
            script.append("exec \"$0\" \"$@\"");
            List<String> argv = new ArrayList<>();
            if (death) {
                argv.addAll(List.of(SETPRIV, "--pdeathsig", "USR2", "--"));
            }
            argv.addAll(List.of("/bin/sh", "-c", script.toString()));
            argv.addAll(cmd);
            return argv;
        }
    }

    private final Map<Integer, Worker> children = new LinkedHashMap<>();
    /** EINHORN_CHILD_INDEX: the indices live workers use; a new worker takes the smallest free one. */
    private final BitSet usedIndices = new BitSet();
    /** Indices held by more than one live worker (only ever from a restored state): index -> extra holders. */
    private final Map<Integer, Integer> sharedIndices = new java.util.HashMap<>();
    private Spawn.Plan plan;
    private boolean upValid;
    private int upVersion;
    private int upCount;
    private final Launch launch;
    private final Log log;
    private final Clock clock;
    private final int masterPid;
    private final IntConsumer adoptCommandFd;

    /** @param adoptCommandFd serves the master's end of a worker's -g connection */
    public Pool(Launch launch, Log log, Clock clock, int masterPid, IntConsumer adoptCommandFd) {
        this.launch = launch;
        this.log = log;
        this.clock = clock;
        this.masterPid = masterPid;
        this.adoptCommandFd = adoptCommandFd;
    }

    public Launch launch() {
        return launch;
    }

    public Collection<Worker> all() {
        return children.values();
    }

    public Worker get(int pid) {
        return children.get(pid);
    }

    public int size() {
        return children.size();
    }

    public boolean isEmpty() {
        return children.isEmpty();
    }

    /** Starts one worker of {@code version}; returns null (after logging the OS error) if it could not start. */
    public Worker spawn(int version) {
        int n = launch.listenFds().length;
        int[] fds = launch.listenFds();
        int[] pair = null;
        if (launch.commandFd()) {
            pair = Sockets.socketPair();
            fds = java.util.Arrays.copyOf(fds, n + 1);
            fds[n] = pair[1];
        }
        launch.applyBlockingModes();
        int index = usedIndices.nextClearBit(0);
        int pid;
        try {
            Spawn.Plan p = plan();
            int[] mapped = fds;
            String slot = Integer.toString(index);
            // With -k the primordial thread spawns: it is the one thread that outlives every reload,
            // so the workers' parent-death signal only fires when the master process dies.
            pid = launch.pdeathsig()
                    ? einhorn.posix.PrimordialThread.call(() -> p.spawn(mapped, slot))
                    : p.spawn(fds, slot);
        } catch (ErrnoException e) {
            log.upgradeError("Could not start worker " + launch.cmd().getFirst() + ": " + e.getMessage());
            if (pair != null) {
                Io.close(pair[0]);
                Io.close(pair[1]);
            }
            return null;
        }
        int commandFd = -1;
        if (pair != null) {
            Io.close(pair[1]);
            commandFd = pair[0];
            Io.setNonBlocking(commandFd, true);
            adoptCommandFd.accept(commandFd);
        }
        Worker w = new Worker(pid, version, index, clock.now(), commandFd);
        add(w);
        log.upgradeInfo("===> Launched " + pid + " (index: " + index + ")");
        return w;
    }

    /**
     * The worker command, argv and environment in native memory, made on the first spawn of this
     * image; every spawn after it only sets EINHORN_CHILD_INDEX (SPEC §4.1).
     */
    private Spawn.Plan plan() {
        if (plan == null) {
            List<String> argv = launch.argv();
            int n = launch.listenFds().length;
            List<String> env = launch.env().forWorker(masterPid, launch.sockPath(), n,
                    launch.commandFd() ? 3 + n : -1, 0);
            plan = Spawn.Plan.of(argv.getFirst(), argv, env, WorkerEnv.CHILD_INDEX + "=");
        }
        return plan;
    }

    private void add(Worker w) {
        children.put(w.pid, w);
        if (usedIndices.get(w.index)) {
            // Two live workers never share an index, but a restored state could hold duplicates.
            sharedIndices.merge(w.index, 1, Integer::sum);
        }
        usedIndices.set(w.index);
        if (counts(w)) {
            upValid = false;
        }
    }

    /** Whether {@code w} is among those {@link #upCount} last counted. */
    private boolean counts(Worker w) {
        return w.acked && w.signaled.isEmpty() && w.version == upVersion;
    }

    private Worker remove(int pid) {
        Worker w = children.remove(pid);
        if (w != null) {
            Integer others = sharedIndices.get(w.index);
            if (others == null) {
                usedIndices.clear(w.index);
            } else if (others == 1) {
                sharedIndices.remove(w.index);
            } else {
                sharedIndices.put(w.index, others - 1);
            }
            if (counts(w)) {
                upCount--;
            }
        }
        return w;
    }

    /**
     * How many workers of {@code version} are acked and not signalled (the "Up to X / N" of the
     * ack log). Counted once and then kept up to date by {@link #markAcked}, so a burst of N acks
     * costs O(N), not O(N²); any other change to the workers makes the next call count again.
     */
    public int upCount(int version) {
        if (!upValid || upVersion != version) {
            int up = 0;
            for (Worker w : children.values()) {
                if (w.acked && w.signaled.isEmpty() && w.version == version) {
                    up++;
                }
            }
            upVersion = version;
            upCount = up;
            upValid = true;
        }
        return upCount;
    }

    /** Sends a recorded signal (SPEC §7.6): logged, marked on each worker, and the start of any KILL escalation. */
    public void signalRecorded(List<Worker> workers, String name, int number) {
        if (workers.isEmpty()) {
            return;
        }
        log.upgradeInfo("Sending " + name + " to " + workers.stream().map(w -> w.pid).toList());
        upValid = false;
        long now = clock.now();
        for (Worker w : workers) {
            if (w.signaled.contains(name)) {
                log.upgradeError("Re-sending " + name + " to already-signaled child " + w.pid
                        + ". It has been too slow to spin down.");
            }
            send(w.pid, number);
            if (!w.signaled.contains(name)) {
                w.signaled.add(name);
            }
            if (w.firstSignaledAt < 0) {
                w.firstSignaledAt = now;
            }
            w.lastSignaledAt = now;
        }
    }

    /** Sends a signal that is not recorded (the `signal` command); returns how many workers it reached. */
    public int signalUnrecorded(int number) {
        int reached = 0;
        for (Worker w : children.values()) {
            if (send(w.pid, number)) {
                reached++;
            }
        }
        return reached;
    }

    /** SIGKILL to a worker's whole process group (its leftovers go with it). */
    public void killGroup(int pgid) {
        try {
            Posix.kill(-pgid, einhorn.posix.Signal.KILL.number());
        } catch (ErrnoException e) {
            log.debug("Could not KILL process group " + pgid + ": " + e.getMessage());
        }
    }

    private boolean send(int pid, int number) {
        try {
            return Posix.kill(pid, number);
        } catch (ErrnoException e) {
            log.error("Could not signal " + pid + ": " + e.getMessage());
            return false;
        }
    }

    /** Marks a worker acked (the caller has checked it is one of ours and unacked). */
    public void markAcked(Worker w) {
        if (!w.acked && upValid && w.version == upVersion && w.signaled.isEmpty() && children.get(w.pid) == w) {
            upCount++;
        }
        w.acked = true;
    }

    /** Reaps every exited child without blocking; returns each known worker that exited, in reap order. */
    public List<Exited> reap() {
        List<Exited> out = new ArrayList<>();
        ExitStatus st;
        while ((st = Processes.waitAny()) != null) {
            Worker w = remove(st.pid());
            if (w == null) {
                // We are a subreaper: orphaned descendants of workers end up here.
                log.info("Reaped orphaned descendant " + st.pid() + " of a worker (" + st.describe() + ")");
                continue;
            }
            out.add(new Exited(w, st));
        }
        return out;
    }

    public record Exited(Worker worker, ExitStatus status) {}

    /** The children for the hand-over, in spawn order. */
    public List<Map<String, Object>> toState() {
        List<Map<String, Object>> out = new ArrayList<>();
        children.values().forEach(w -> out.add(w.toState()));
        return out;
    }

    /**
     * Re-adopts the children of the previous image (SPEC §9.5): each is checked with a
     * non-blocking wait; one that exited during the exec is returned for the usual exit
     * handling, one that is no longer our child is forgotten.
     */
    public List<Exited> restore(List<?> records) {
        List<Exited> exited = new ArrayList<>();
        for (Object o : records) {
            Worker w = Worker.fromState((Map<?, ?>) o);
            ExitStatus st;
            try {
                st = Processes.waitPid(w.pid);
            } catch (ErrnoException e) {
                // It exited during the exec and something else collected it (a --reexec-as
                // wrapper's shell waits for any child): handle it as an exit of unknown status.
                log.info("Worker " + w.pid + " is no longer our child (" + e.getMessage() + "); it exited during the reload");
                exited.add(new Exited(w, null));
                continue;
            }
            if (st != null) {
                exited.add(new Exited(w, st));
            } else {
                add(w);
            }
        }
        return exited;
    }

}
