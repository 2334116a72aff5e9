package einhorn.master.upgrade;

/** The clients waiting on an upgrade (SPEC §5.7); implemented by the command server. */
public interface Subscribers {
    /** Sends a final reply (no `wait`) to every subscriber and ends their subscriptions. */
    void finishAll(String message, boolean error);
}
