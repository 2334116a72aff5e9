package einhorn.master.control;

import einhorn.master.upgrade.Upgrade;

/** `upgrade` and `upgrade_fleet` (SPEC §8): first reply, subscription, then the upgrade itself. */
abstract class UpgradeCommand implements Command {
    abstract Upgrade.Kind kind();

    abstract String started();

    public void run(Call call) {
        if (call.requestId == null) {
            call.reply(started());
        } else {
            call.progress(started());
            call.subscribe();
        }
        String failed = call.master.upgrade(kind());
        if (call.requestId != null) {
            call.finishSubscription(failed == null ? "Upgrade aborted: Einhorn is shutting down"
                    : "Upgrade aborted: master reload failed (" + failed + ")", true);
        }
    }

    static final class Smooth extends UpgradeCommand {
        public String name() { return "upgrade"; }
        public String help() { return "Upgrade all Einhorn workers smoothly. This causes Einhorn to reload its own code as well."; }
        Upgrade.Kind kind() { return Upgrade.Kind.SMOOTH; }
        String started() { return "Upgrading smoothly, as commanded"; }
    }

    static final class Fleet extends UpgradeCommand {
        public String name() { return "upgrade_fleet"; }
        public String help() { return "Upgrade all Einhorn workers a fleet at a time. This causes Einhorn to reload its own code as well."; }
        Upgrade.Kind kind() { return Upgrade.Kind.FLEET; }
        String started() { return "Upgrading fleet, as commanded"; }
    }
}
