package einhorn.posix;

/**
 * What waitpid reported for one child. {@code raw} is the wait status word, decoded the way
 * glibc's W* macros do. Stop/continue reports never occur: the waits do not ask for them.
 */
public record ExitStatus(int pid, int raw) {

    public boolean exited() {
        return (raw & 0x7f) == 0;
    }

    /** The exit code 0..255, or -1 if the child did not exit normally. */
    public int exitCode() {
        return exited() ? (raw >> 8) & 0xff : -1;
    }

    public boolean signaled() {
        int sig = raw & 0x7f;
        return sig != 0 && sig != 0x7f;
    }

    /** The terminating signal number, or -1 if the child was not killed by a signal. */
    public int termSignal() {
        return signaled() ? raw & 0x7f : -1;
    }

    public boolean coreDumped() {
        return signaled() && (raw & 0x80) != 0;
    }

    /** "exit status 3", "killed by SIGKILL", "killed by SIGSEGV, core dumped". */
    public String describe() {
        if (exited()) {
            return "exit status " + exitCode();
        }
        if (signaled()) {
            Signal s = Signal.of(termSignal());
            String name = s != null ? "SIG" + s.name() : "signal " + termSignal();
            return "killed by " + name + (coreDumped() ? ", core dumped" : "");
        }
        return "wait status 0x" + Integer.toHexString(raw);
    }
}
