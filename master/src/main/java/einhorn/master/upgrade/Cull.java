package einhorn.master.upgrade;

import einhorn.master.Clock;
import einhorn.master.Log;
import einhorn.master.Settings;
import einhorn.master.Version;
import einhorn.master.workers.Pool;
import einhorn.master.workers.Worker;
import einhorn.posix.Signal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Cull (SPEC §7.6): ends upgrades, retires old and excess workers, escalates to KILL. Runs every loop turn. */
public final class Cull {
    private final Pool pool;
    private final Settings settings;
    private final Upgrade upgrade;
    private final Log log;
    private final Clock clock;
    private final Subscribers subscribers;

    public Cull(Pool pool, Settings settings, Upgrade upgrade, Log log, Clock clock, Subscribers subscribers) {
        this.pool = pool;
        this.settings = settings;
        this.upgrade = upgrade;
        this.log = log;
        this.clock = clock;
        this.subscribers = subscribers;
    }

    public void run(int version) {
        int number = settings.number;
        if (upgrade.upgrading && count(version, true) >= number) {
            upgrade.upgrading = false;
            upgrade.done = true;
            log.upgradeInfo("Upgraded successfully to version " + version + " (Einhorn " + Version.VERSION + ").");
        }
        List<Worker> oldUnsignaled = select(w -> w.version < version && !w.signaled());
        if (!upgrade.upgrading && !oldUnsignaled.isEmpty()) {
            log.upgradeInfo("Killing off " + oldUnsignaled.size() + " old workers.");
            usr2(oldUnsignaled);
        } else if (upgrade.upgrading) {
            // Differs from SPEC §7.6 step 3: old workers that never acked (an abandoned version
            // that was bumped) serve nothing and are retired at once, and only acked old workers
            // count towards the excess. With the SPEC's formula, bumping a stuck upgrade counted the
            // stuck workers as old and retired the serving ones before any new worker had acked.
            List<Worker> neverAcked = select(w -> w.version < version && !w.signaled() && !w.acked());
            if (!neverAcked.isEmpty()) {
                log.upgradeInfo("Killing off " + neverAcked.size() + " old workers that never ACKed.");
                usr2(neverAcked);
            }
        }
        if (upgrade.upgrading && upgrade.smooth()) {
            List<Worker> ackedOld = select(w -> w.version < version && !w.signaled() && w.acked());
            int excess = ackedOld.size() + count(version, true) - number;
            if (excess > 0) {
                List<Worker> victims = ackedOld.subList(0, Math.min(excess, ackedOld.size()));
                log.upgradeInfo("Smooth upgrade: killing off " + victims.size() + " old workers.");
                usr2(victims);
            }
        }
        List<Worker> current = select(w -> w.version == version && !w.signaled());
        if (current.size() > number) {
            List<Worker> ordered = new ArrayList<>(current);
            ordered.sort(Comparator.comparing(Worker::acked)); // stable: unacked first, spawn order within
            List<Worker> victims = ordered.subList(0, current.size() - number);
            log.upgradeInfo("Have too many workers at the current version, so killing off " + victims.size() + " of them.");
            usr2(victims);
        }
        if (upgrade.done) {
            upgrade.done = false;
            subscribers.finishAll("Upgrade done", false);
        }
        escalate();
    }

    /** SPEC §7.7: KILL a worker still live T seconds after its first recorded signal (or its last USR2). */
    private void escalate() {
        Integer t = settings.signalTimeout;
        if (t == null) {
            return;
        }
        long now = clock.now();
        long limit = Clock.seconds(t);
        for (Worker w : List.copyOf(pool.all())) {
            if (!w.signaled() || w.signals().contains("KILL")) {
                continue;
            }
            boolean overdue = now - w.firstSignaledAt() >= limit
                    || (w.signals().contains("USR2") && now - w.lastSignaledAt() >= limit);
            if (overdue) {
                log.upgradeInfo("Child " + w.pid + " is still active after " + t + "s. Sending SIGKILL.");
                pool.signalRecorded(List.of(w), "KILL", Signal.KILL.number());
                pool.killGroup(w.pid);
            }
        }
    }

    /** The next instant at which {@link #escalate} has work, or Long.MAX_VALUE. */
    public long nextEscalation() {
        Integer t = settings.signalTimeout;
        if (t == null) {
            return Long.MAX_VALUE;
        }
        long next = Long.MAX_VALUE;
        for (Worker w : pool.all()) {
            if (w.signaled() && !w.signals().contains("KILL")) {
                next = Math.min(next, w.firstSignaledAt() + Clock.seconds(t));
            }
        }
        return next;
    }

    private void usr2(List<Worker> workers) {
        pool.signalRecorded(List.copyOf(workers), "USR2", Signal.USR2.number());
    }

    /** Acked (if {@code acked}), unsignalled workers of {@code version}. */
    private int count(int version, boolean acked) {
        int n = 0;
        for (Worker w : pool.all()) {
            if (w.version == version && !w.signaled() && (!acked || w.acked())) {
                n++;
            }
        }
        return n;
    }

    private List<Worker> select(java.util.function.Predicate<Worker> p) {
        List<Worker> out = new ArrayList<>();
        for (Worker w : pool.all()) {
            if (p.test(w)) {
                out.add(w);
            }
        }
        return out;
    }
}
