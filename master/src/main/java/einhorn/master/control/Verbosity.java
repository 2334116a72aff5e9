package einhorn.master.control;

/** quieter and louder (SPEC §6.4): verbosity moves within 0..2 (higher is quieter). */
final class Verbosity {
    private Verbosity() {}

    static final class Quieter implements Command {
        public String name() { return "quieter"; }
        public String help() { return "Decrease verbosity"; }

        public void run(Call call) {
            call.reply("Verbosity set to " + call.master.setVerbosity(call.master.log().verbosity() + 1));
        }
    }

    static final class Louder implements Command {
        public String name() { return "louder"; }
        public String help() { return "Increase verbosity"; }

        public void run(Call call) {
            call.reply("Verbosity set to " + call.master.setVerbosity(call.master.log().verbosity() - 1));
        }
    }
}
