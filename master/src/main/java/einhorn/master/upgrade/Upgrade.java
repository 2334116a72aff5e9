package einhorn.master.upgrade;

/** Upgrade state (SPEC §8): whether one is running, which kind, and when the last one started. */
public final class Upgrade {
    public enum Kind { SMOOTH, FLEET }

    boolean upgrading;
    Kind kind = Kind.SMOOTH;
    boolean done;
    long lastUpgraded = -1;

    public boolean upgrading() { return upgrading; }
    public boolean smooth() { return kind == Kind.SMOOTH; }
    public long lastUpgraded() { return lastUpgraded; }

    /** Marks an upgrade of {@code kind} as started now; returns true if one was already running. */
    public boolean begin(Kind kind, long now) {
        boolean wasRunning = upgrading;
        upgrading = true;
        done = false;
        this.kind = kind;
        lastUpgraded = now;
        return wasRunning;
    }

    /** State from the previous image. */
    public void restore(boolean upgrading, boolean smooth, long lastUpgraded) {
        this.upgrading = upgrading;
        this.kind = smooth ? Kind.SMOOTH : Kind.FLEET;
        this.lastUpgraded = lastUpgraded;
    }

    /** Stops tracking the running upgrade (shutdown). */
    public void abandon() {
        upgrading = false;
        done = false;
    }
}
