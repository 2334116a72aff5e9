package einhorn.master.cli;

/** Ends argument handling with a message and an exit status (2: invalid input; 0/1: help, version, usage). */
public final class UsageException extends Exception {
    private final int status;
    private final boolean toStdout;

    UsageException(String message, int status, boolean toStdout) {
        super(message, null, false, false);
        this.status = status;
        this.toStdout = toStdout;
    }

    static UsageException invalid(String message) {
        return new UsageException("einhorn: " + message, 2, false);
    }

    public int status() {
        return status;
    }

    /** Help and usage go to stdout; errors to stderr. */
    public boolean toStdout() {
        return toStdout;
    }
}
