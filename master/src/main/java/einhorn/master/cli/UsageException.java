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

    /** Invalid input (exit 2): one line, so a CR or LF from the command line is shown as {@code \r} / {@code \n}. */
    static UsageException invalid(String message) {
        return new UsageException("einhorn: " + oneLine(message), 2, false);
    }

    private static String oneLine(String s) {
        if (s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    public int status() {
        return status;
    }

    /** Help and usage go to stdout; errors to stderr. */
    public boolean toStdout() {
        return toStdout;
    }
}
