package einhorn.master.control;

final class Help implements Command {
    public String name() { return "help"; }
    public String help() { return "Print out available commands"; }

    public void run(Call call) {
        call.reply("You are speaking to the Einhorn command socket. You can run the following commands:\n\n"
                + Commands.helpLines() + "\n");
    }
}
