package einhorn.master.control;

import einhorn.master.Version;

/** Hidden greeting used by interactive einhornsh (SPEC §6.1). */
final class Ehlo implements Command {
    public String name() { return "ehlo"; }
    public String help() { return null; }

    public void run(Call call) {
        Object user = call.request.get("user");
        String name = call.master.config().cmdName();
        call.reply("Welcome, " + (user == null ? "" : user) + "! You are speaking to Einhorn Master Process "
                + call.master.pid() + (name == null ? "" : " (" + name + ")") + ".\nThis is Einhorn "
                + Version.VERSION + ".\n");
    }
}
