package einhorn.master;

import einhorn.posix.Epoll;
import einhorn.posix.ExitStatus;
import einhorn.posix.Io;
import einhorn.posix.Posix;
import einhorn.posix.Processes;
import einhorn.posix.Signal;
import einhorn.posix.Spawn;

import java.util.List;

/**
 * A short helper process the loop waits for (the reload probe, renice): spawned with only fds
 * 0–2 and reaped here, so it never appears as a worker. Events meanwhile wait in the kernel.
 */
public final class Subprocess {
    private Subprocess() {}

    /** Runs to completion; null if it was still running after {@code timeoutMs} (it is then killed). */
    public static ExitStatus run(String path, List<String> argv, List<String> env, long timeoutMs) {
        return run(path, argv, env, timeoutMs, new int[0]);
    }

    /** As {@link #run}, with {@code fds[i]} passed as fd 3+i. */
    public static ExitStatus run(String path, List<String> argv, List<String> env, long timeoutMs, int[] fds) {
        int pid = Spawn.spawn(path, argv, env, fds);
        int pidfd = Processes.pidfdOpen(pid);
        try (Epoll ep = new Epoll()) {
            ep.add(pidfd, Epoll.IN);
            long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
            long left;
            while ((left = deadline - System.nanoTime()) > 0 && ep.poll((int) Math.min(Integer.MAX_VALUE, left / 1_000_000L + 1)) == 0) {
                // woken early (EINTR): wait for the rest
            }
            ExitStatus st = Processes.waitPid(pid);
            if (st == null) {
                Posix.kill(pid, Signal.KILL.number());
                while (Processes.waitPid(pid) == null) {
                    ep.poll(100);
                }
            }
            return st;
        } finally {
            Io.close(pidfd);
        }
    }
}
