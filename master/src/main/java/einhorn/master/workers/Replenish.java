package einhorn.master.workers;

import einhorn.master.Clock;
import einhorn.master.Log;
import einhorn.master.Settings;

import java.util.Locale;

/**
 * Replenish (SPEC §7.5): first launch spawns everything at once; after that one worker per
 * backoff interval, within the max-unacked and max-upgrade-additional gates.
 */
public final class Replenish {
    private static final long CAP = Clock.seconds(30);
    private static final int FIRST_LAUNCH_BATCH = 32;

    private final Pool pool;
    private final Settings settings;
    private final Log log;
    private final Clock clock;

    boolean everSpawned;
    long lastSpinup = -1;
    int consecutiveDeaths;
    private boolean gateLogged;

    public Replenish(Pool pool, Settings settings, Log log, Clock clock) {
        this.pool = pool;
        this.settings = settings;
        this.log = log;
        this.clock = clock;
    }

    /** Hand-over of the spawn bookkeeping (SPEC §9.4 `runtime`). */
    public java.util.Map<String, Object> toState() {
        return java.util.Map.of("ever_spawned", everSpawned, "last_spinup", lastSpinup,
                "consecutive_deaths_before_ack", consecutiveDeaths);
    }

    public void restore(java.util.Map<?, ?> m) {
        everSpawned = !Boolean.FALSE.equals(m.get("ever_spawned"));
        lastSpinup = m.get("last_spinup") instanceof Number n ? n.longValue() : -1;
        consecutiveDeaths = m.get("consecutive_deaths_before_ack") instanceof Number n ? n.intValue() : 0;
    }

    public long lastSpinup() { return lastSpinup; }
    public int consecutiveDeaths() { return consecutiveDeaths; }
    public void resetDeaths() { consecutiveDeaths = 0; }

    /** An unacked worker died (or could not start): the backoff grows. */
    public void unackedDeath() {
        consecutiveDeaths++;
    }

    public void run(int version) {
        int missing = missing(version);
        if (missing <= 0) {
            return;
        }
        if (!everSpawned) {
            // The first launch spawns everything at once, in batches so that a large -n never
            // keeps signals and commands waiting for long (the loop turns between batches).
            int batch = Math.min(missing, FIRST_LAUNCH_BATCH);
            for (int i = 0; i < batch; i++) {
                spawn(version);
            }
            if (batch == missing) {
                everSpawned = true;
            }
            return;
        }
        long now = clock.now();
        long interval = interval();
        if (lastSpinup >= 0 && now - lastSpinup < interval) {
            return;
        }
        if (!gatesOpen(version, true)) {
            return;
        }
        if (consecutiveDeaths > 0) {
            log.upgradeInfo(String.format(Locale.ROOT,
                    "Last spinup was %.2fs ago, and spinup_interval is %.2fs (%s * 1.5^%d, capped at 30s), so spinning up a new process.",
                    (now - lastSpinup) / 1e9, interval / 1e9, settings.seconds, consecutiveDeaths));
        }
        spawn(version);
    }

    /** Spawns {@code count} workers at once, ignoring the gates (fleet upgrade start). */
    public void spawnNow(int version, int count) {
        everSpawned = true;
        for (int i = 0; i < count; i++) {
            spawn(version);
        }
    }

    private void spawn(int version) {
        lastSpinup = clock.now();
        gateLogged = false;
        if (pool.spawn(version) == null) {
            unackedDeath();
        }
    }

    private boolean gatesOpen(int version, boolean logBlocked) {
        int unacked = 0;
        for (Worker w : pool.all()) {
            if (w.version == version && !w.acked && !w.signaled()) {
                unacked++;
            }
        }
        int max = settings.effectiveMaxUnacked();
        if (unacked >= max) {
            if (logBlocked && !gateLogged) {
                gateLogged = true;
                log.info("There are " + unacked + " unacked new workers, and max_unacked is " + max
                        + ", so not spinning up a new process.");
            }
            return false;
        }
        Integer extra = settings.maxUpgradeAdditional;
        return extra == null || pool.size() < settings.number + extra;
    }

    private int missing(int version) {
        int live = 0;
        for (Worker w : pool.all()) {
            if (w.version == version) {
                live++;
            }
        }
        return settings.number - live;
    }

    public long interval() {
        return interval(settings.seconds, consecutiveDeaths);
    }

    /** The backoff: min(seconds × 1.5^d, 30 s), in nanoseconds. */
    static long interval(double seconds, int deaths) {
        double s = seconds * Math.pow(1.5, Math.min(deaths, 200));
        return Math.min(CAP, Clock.seconds(Math.min(s, 30.0)));
    }

    /** When the next gradual spawn could happen, or Long.MAX_VALUE if none is wanted. */
    public long nextDue(int version, boolean respawn) {
        if (!respawn || missing(version) <= 0) {
            return Long.MAX_VALUE;
        }
        if (!everSpawned || lastSpinup < 0) {
            return clock.now();
        }
        // A closed gate only opens on an event (ack, exit, config), which wakes the loop anyway.
        return gatesOpen(version, false) ? lastSpinup + interval() : Long.MAX_VALUE;
    }
}
