package einhorn.master.control;

import einhorn.master.workers.SignalNames;

/** `die [SIG]`: a recorded signal (default USR2) to every worker, then no more respawning (SPEC §6.5). */
final class Die implements Command {
    public String name() { return "die"; }
    public String help() {
        return "Send SIGNAL (default: SIGUSR2) to all workers, stop spawning new ones, and exit once all workers die (args: [SIGNAL])";
    }
    public Args args() { return Args.OPTIONAL; }

    public void run(Call call) {
        String raw = call.args.isEmpty() ? "USR2" : call.args.getFirst();
        SignalNames.Named sig = SignalNames.parse(raw);
        if (sig == null) {
            call.error("Invalid signal: \"" + raw + "\"");
            return;
        }
        int n = call.master.die(sig);
        call.reply("Einhorn is going down! Sent " + sig.name() + " to " + n + (n == 1 ? " worker" : " workers"));
    }
}
