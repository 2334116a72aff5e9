package einhorn.master.control;

import einhorn.master.workers.SignalNames;

import java.util.ArrayList;
import java.util.List;

/** `signal SIG...`: unrecorded signals to every live worker, one reply line per signal (SPEC §6.5). */
final class SignalCommand implements Command {
    public String name() { return "signal"; }
    public String help() { return "Send one or more signals to all workers (args: SIG1 [SIG2 ...])"; }
    public Args args() { return Args.REQUIRED; }

    public void run(Call call) {
        if (call.args.isEmpty()) {
            call.error("No signal given (usage: signal SIG1 [SIG2 ...])");
            return;
        }
        List<SignalNames.Named> signals = parseAll(call);
        if (signals == null) {
            return;
        }
        List<String> lines = new ArrayList<>();
        for (SignalNames.Named s : signals) {
            int n = call.master.signalAll(s);
            lines.add("Sent " + s.name() + " to " + n + (n == 1 ? " worker" : " workers"));
        }
        call.reply(String.join("\n", lines));
    }

    /** Every name checked before anything is sent; null (after answering) if one is invalid. */
    static List<SignalNames.Named> parseAll(Call call) {
        List<SignalNames.Named> out = new ArrayList<>();
        for (String raw : call.args) {
            SignalNames.Named s = SignalNames.parse(raw);
            if (s == null) {
                call.error("Invalid signal: \"" + raw + "\"");
                return null;
            }
            out.add(s);
        }
        return out;
    }
}
