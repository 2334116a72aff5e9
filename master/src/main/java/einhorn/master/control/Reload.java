package einhorn.master.control;

/**
 * `reload`: the master re-executes itself in place (SPEC §9). With a request id the client waits
 * for the outcome: `Reload done` from the new image, or the reason it failed from this one.
 */
final class Reload implements Command {
    public String name() { return "reload"; }
    public String help() { return "Reload Einhorn"; }

    public void run(Call call) {
        if (!call.master.respawning()) {
            call.reply("Reloading, as commanded");
            call.master.log().info("Not reloading einhorn because we're exiting");
            return;
        }
        if (call.requestId == null) {
            call.reply("Reloading, as commanded");
        } else {
            call.progress("Reloading, as commanded");
            call.subscribeToReload();
        }
        String failed = call.master.reload(null);
        if (call.requestId != null) {
            call.finishSubscription("Reload aborted: master reload failed (" + failed + ")", true);
        }
    }
}
