package einhorn.master.control;

/** `reload`: the in-place master re-exec belongs to the "Master reload in place" work (SPEC §9). */
final class Reload implements Command {
    public String name() { return "reload"; }
    public String help() { return "Reload Einhorn"; }

    public void run(Call call) {
        call.error("Error while processing command \"reload\": master reload in place is not available in this build");
    }
}
