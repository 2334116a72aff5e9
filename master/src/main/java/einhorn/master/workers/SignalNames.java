package einhorn.master.workers;

import einhorn.posix.Signal;

import java.util.Locale;

/** Signal names accepted by `signal` and `die` (SPEC §6.5), with their Linux numbers. */
public final class SignalNames {
    private SignalNames() {}

    /** A parsed name: the canonical name we record and log, and its number (0 for EXIT). */
    public record Named(String name, int number) {}

    /** Upper-cases, strips a leading SIG, resolves aliases; null if the name is not valid. */
    public static Named parse(String raw) {
        String n = raw.toUpperCase(Locale.ROOT);
        if (n.startsWith("SIG")) {
            n = n.substring(3);
        }
        return switch (n) {
            case "EXIT" -> new Named("EXIT", 0);
            case "IOT" -> new Named("IOT", Signal.ABRT.number());
            case "CLD" -> new Named("CLD", Signal.CHLD.number());
            case "POLL" -> new Named("POLL", Signal.IO.number());
            case "STKFLT" -> null;
            default -> {
                try {
                    yield new Named(n, Signal.valueOf(n).number());
                } catch (IllegalArgumentException e) {
                    yield null;
                }
            }
        };
    }
}
