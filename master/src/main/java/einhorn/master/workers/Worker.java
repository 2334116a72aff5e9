package einhorn.master.workers;

import java.util.ArrayList;
import java.util.List;

/** One live child (SPEC §7.1). Mutated only by the loop thread. */
public final class Worker {
    public final int pid;
    public final int version;
    public final int index;
    public final long spinupTime;
    /** Master side of the -g command connection, or -1. */
    public final int commandFd;

    boolean acked;
    final List<String> signaled = new ArrayList<>();
    long firstSignaledAt = -1;
    long lastSignaledAt = -1;
    long pingedAt = -1;
    Object pingedRequestId;

    Worker(int pid, int version, int index, long spinupTime, int commandFd) {
        this.pid = pid;
        this.version = version;
        this.index = index;
        this.spinupTime = spinupTime;
        this.commandFd = commandFd;
    }

    public boolean acked() { return acked; }
    public boolean signaled() { return !signaled.isEmpty(); }
    public List<String> signals() { return List.copyOf(signaled); }
    public long firstSignaledAt() { return firstSignaledAt; }
    public long lastSignaledAt() { return lastSignaledAt; }
    public long pingedAt() { return pingedAt; }
    public Object pingedRequestId() { return pingedRequestId; }

    public void ping(long now, Object requestId) {
        pingedAt = now;
        pingedRequestId = requestId;
    }
}
