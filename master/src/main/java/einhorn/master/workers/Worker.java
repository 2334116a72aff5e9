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

    /** The hand-over record of this worker (SPEC §9.4 `children`). */
    public java.util.Map<String, Object> toState() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("pid", pid);
        m.put("version", version);
        m.put("index", index);
        m.put("spinup_time", spinupTime);
        m.put("command_fd", commandFd);
        m.put("acked", acked);
        m.put("signaled", List.copyOf(signaled));
        m.put("first_signaled_at", firstSignaledAt);
        m.put("last_signaled_at", lastSignaledAt);
        m.put("pinged_at", pingedAt);
        m.put("pinged_request_id", pingedRequestId);
        return m;
    }

    static Worker fromState(java.util.Map<?, ?> m) {
        Worker w = new Worker(num(m, "pid", null).intValue(), num(m, "version", null).intValue(),
                num(m, "index", 0).intValue(), num(m, "spinup_time", null).longValue(),
                num(m, "command_fd", -1).intValue());
        w.acked = Boolean.TRUE.equals(m.get("acked"));
        if (m.get("signaled") instanceof List<?> l) {
            l.forEach(x -> w.signaled.add(String.valueOf(x)));
        }
        w.firstSignaledAt = num(m, "first_signaled_at", -1).longValue();
        w.lastSignaledAt = num(m, "last_signaled_at", -1).longValue();
        w.pingedAt = num(m, "pinged_at", -1).longValue();
        w.pingedRequestId = m.get("pinged_request_id");
        return w;
    }

    private static Number num(java.util.Map<?, ?> m, String key, Number dflt) {
        Object v = m.get(key);
        if (v instanceof Number n) {
            return n;
        }
        if (dflt == null) {
            throw new IllegalArgumentException("child record lacks " + key);
        }
        return dflt;
    }

    public void ping(long now, Object requestId) {
        pingedAt = now;
        pingedRequestId = requestId;
    }
}
