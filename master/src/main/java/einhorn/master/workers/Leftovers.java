package einhorn.master.workers;

import einhorn.master.Clock;
import einhorn.master.Log;
import einhorn.posix.ErrnoException;
import einhorn.posix.Posix;
import einhorn.posix.Signal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * What a worker leaves in its process group after it exits (background children still holding
 * the listener): sent TERM at once and KILL after a grace period, each logged with its pid
 * (cases C14). A descendant that left the group (setsid) is not covered.
 */
public final class Leftovers {
    private static final long DEFAULT_GRACE = Clock.seconds(2);

    private record Sweep(int pgid, long killAt) {}

    private final List<Sweep> sweeps = new ArrayList<>();
    private final Log log;
    private final Clock clock;

    public Leftovers(Log log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    /** The worker that led group {@code pgid} has exited: TERM what is left and plan the KILL. */
    public void workerExited(int pgid, Integer signalTimeout) {
        if (!kill(-pgid, 0)) {
            return; // the usual case: the group is empty, so skip the scan of /proc
        }
        List<Integer> left = members(pgid);
        if (left.isEmpty()) {
            return;
        }
        log.info("Worker " + pgid + " left " + left + " in its process group; sending TERM");
        kill(-pgid, Signal.TERM.number());
        long grace = signalTimeout != null ? Clock.seconds(signalTimeout) : DEFAULT_GRACE;
        sweeps.add(new Sweep(pgid, clock.now() + grace));
    }

    /** KILLs groups whose grace period is over; forgets groups that have emptied. */
    public void run() {
        long now = clock.now();
        for (Iterator<Sweep> it = sweeps.iterator(); it.hasNext(); ) {
            Sweep s = it.next();
            if (!kill(-s.pgid(), 0)) {
                it.remove();
            } else if (now >= s.killAt()) {
                log.info("Sending KILL to " + members(s.pgid()) + ", still in the process group of exited worker " + s.pgid());
                kill(-s.pgid(), Signal.KILL.number());
                it.remove();
            }
        }
    }

    public boolean pending() {
        return !sweeps.isEmpty();
    }

    public long nextDeadline() {
        long next = Long.MAX_VALUE;
        for (Sweep s : sweeps) {
            next = Math.min(next, s.killAt());
        }
        // An emptied group is only noticed on a turn; its members' exits (we are their subreaper) wake us.
        return next;
    }

    private boolean kill(int target, int sig) {
        try {
            return Posix.kill(target, sig);
        } catch (ErrnoException e) {
            return false;
        }
    }

    /** Live pids whose process group is {@code pgid} (from /proc/PID/stat field 5). */
    static List<Integer> members(int pgid) {
        List<Integer> out = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (!f[0].equals("Z") && Integer.parseInt(f[2]) == pgid) {
                        out.add(Integer.parseInt(p.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException ignored) {
                    // the process went away while we looked
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }
}
