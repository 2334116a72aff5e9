package einhorn.protocol;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * A point in time in a state tree, kept to the nanosecond. It prints in UTC with nine fractional digits:
 * {@code 2026-12-03 15:44:50.064855691 +00:00} in YAML (a form Ruby's safe loader reads as a Time) and
 * {@code 2026-12-03T15:44:50.064855691Z} in JSON (RFC 3339).
 */
public record Timestamp(long epochNanos) {
    private static final long NANOS = 1_000_000_000L;

    public static Timestamp of(Instant instant) {
        return new Timestamp(Math.addExact(Math.multiplyExact(instant.getEpochSecond(), NANOS), instant.getNano()));
    }

    public static Timestamp now() {
        return of(Instant.now());
    }

    public Instant toInstant() {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, NANOS), Math.floorMod(epochNanos, NANOS));
    }

    /** The YAML form, {@code YYYY-MM-DD HH:MM:SS.nnnnnnnnn +00:00}. */
    public String yaml() {
        return format(' ', " +00:00");
    }

    /** The JSON form, {@code YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ}. */
    public String rfc3339() {
        return format('T', "Z");
    }

    private String format(char separator, String zone) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(epochNanos, NANOS),
                (int) Math.floorMod(epochNanos, NANOS), ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder(36);
        pad(sb, t.getYear(), 4).append('-');
        pad(sb, t.getMonthValue(), 2).append('-');
        pad(sb, t.getDayOfMonth(), 2).append(separator);
        pad(sb, t.getHour(), 2).append(':');
        pad(sb, t.getMinute(), 2).append(':');
        pad(sb, t.getSecond(), 2).append('.');
        pad(sb, t.getNano(), 9);
        return sb.append(zone).toString();
    }

    private static StringBuilder pad(StringBuilder sb, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) sb.append('0');
        return sb.append(digits);
    }

    @Override
    public String toString() {
        return rfc3339();
    }
}
