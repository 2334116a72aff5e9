package einhorn.master;

/**
 * Monotonic time for timers (System.nanoTime is CLOCK_MONOTONIC on Linux, valid across exec) and
 * the matching wall-clock time for display in `state`.
 */
public final class Clock {
    private final long wallAtStart;
    private final long monoAtStart;

    public Clock() {
        java.time.Instant now = java.time.Instant.now();
        monoAtStart = System.nanoTime();
        wallAtStart = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    public long now() {
        return System.nanoTime();
    }

    /** Wall-clock epoch nanoseconds of a monotonic instant. */
    public long wall(long mono) {
        return wallAtStart + (mono - monoAtStart);
    }

    public static long seconds(double s) {
        return (long) (s * 1e9);
    }
}
