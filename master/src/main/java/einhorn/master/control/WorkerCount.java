package einhorn.master.control;


/** inc, dec and set_workers (SPEC §6.4). */
final class WorkerCount {
    private WorkerCount() {}

    static final class Inc implements Command {
        public String name() { return "inc"; }
        public String help() { return "Increment the number of Einhorn child processes"; }

        public void run(Call call) {
            int from = call.master.settings().number;
            call.master.setNumber(from + 1);
            call.reply("Incrementing number of workers from " + from + " -> " + (from + 1));
        }
    }

    static final class Dec implements Command {
        public String name() { return "dec"; }
        public String help() { return "Decrement the number of Einhorn child processes"; }

        public void run(Call call) {
            int from = call.master.settings().number;
            if (from <= 1) {
                call.error("Can't decrease number of workers (already at " + from
                        + ").  Run kill " + call.master.pid() + " if you really want to kill einhorn.");
                return;
            }
            call.master.setNumber(from - 1);
            call.reply("Decrementing number of workers from " + from + " -> " + (from - 1));
        }
    }

    static final class SetWorkers implements Command {

        public String name() { return "set_workers"; }
        public String help() { return "Set the number of Einhorn child processes"; }
        public Args args() { return Args.REQUIRED; }

        public void run(Call call) {
            String raw = call.args.isEmpty() ? "" : call.args.getFirst();
            int to = parse(raw);
            if (to < 1) {
                call.error("Invalid count: '" + raw + "'. Must be an integer in [1,1000].");
                return;
            }
            int from = call.master.settings().number;
            if (to == from) {
                call.reply("");
                return;
            }
            call.master.setNumber(to);
            call.reply("Altering worker count, " + from + " -> " + to + ". Will "
                    + (to > from ? "spin up additional workers." : "gracefully terminate workers."));
        }

        /** The count in 1..1000, or -1. */
        private static int parse(String raw) {
            if (!einhorn.master.cli.Cli.isInteger(raw)) {
                return -1;
            }
            try {
                int n = Integer.parseInt(raw.startsWith("+") ? raw.substring(1) : raw);
                return n >= 1 && n <= 1000 ? n : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
    }
}
