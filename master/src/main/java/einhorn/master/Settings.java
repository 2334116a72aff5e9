package einhorn.master;

import einhorn.master.cli.Config;

/** The settings an operator can change while the master runs (set_workers, config, ...). Loop thread only. */
public final class Settings {
    public int number;
    public double seconds;
    public Integer signalTimeout;
    public Integer maxUnacked;
    public Integer maxUpgradeAdditional;

    public Settings(Config c) {
        number = c.number();
        seconds = c.seconds();
        signalTimeout = c.signalTimeout();
        maxUnacked = c.maxUnacked();
        maxUpgradeAdditional = c.maxUpgradeAdditional();
    }

    /** The max-unacked gate's limit: the setting, or the processors available to us. */
    public int effectiveMaxUnacked() {
        return maxUnacked != null ? maxUnacked : Runtime.getRuntime().availableProcessors();
    }
}
