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
        int index = nextIndex();
        List<String> env = launch.env().forWorker(masterPid, launch.sockPath(), n, pair == null ? -1 : 3 + n, index);
        int pid;
        try {
            List<String> argv = launch.argv();
            int[] mapped = fds;
            // With -k the primordial thread spawns: it is the one thread that outlives every reload,
            // so the workers' parent-death signal only fires when the master process dies.
            pid = launch.pdeathsig()
                    ? einhorn.posix.PrimordialThread.call(() -> Spawn.spawn(argv.getFirst(), argv, env, mapped))
                    : Spawn.spawn(argv.getFirst(), argv, env, fds);
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
        children.put(pid, w);
        log.upgradeInfo("===> Launched " + pid + " (index: " + index + ")");
        return w;
    }

    /** EINHORN_CHILD_INDEX: the smallest index no live worker uses. */
    private int nextIndex() {
        BitSet used = new BitSet();
        children.values().forEach(w -> used.set(w.index));
        return used.nextClearBit(0);
    }

    /** Sends a recorded signal (SPEC §7.6): logged, marked on each worker, and the start of any KILL escalation. */
    public void signalRecorded(List<Worker> workers, String name, int number) {
        if (workers.isEmpty()) {
            return;
        }
        log.upgradeInfo("Sending " + name + " to " + workers.stream().map(w -> w.pid).toList());
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
        w.acked = true;
    }

    /** Reaps every exited child without blocking; returns each known worker that exited, in reap order. */
    public List<Exited> reap() {
        List<Exited> out = new ArrayList<>();
        ExitStatus st;
        while ((st = Processes.waitAny()) != null) {
            Worker w = children.remove(st.pid());
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
                children.put(w.pid, w);
            }
        }
        return exited;
    }

}
