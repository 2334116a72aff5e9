package einhorn.protocol;

/** A request body that is not acceptable YAML (SPEC §5.3); the master answers {@code Could not parse command}. */
public final class ParseException extends Exception {
    public ParseException(String msg) {
        super(msg);
    }

    ParseException(String msg, Throwable cause) {
        super(msg, cause);
    }
}
