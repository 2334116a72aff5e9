package einhorn.master.control;

import einhorn.protocol.Json;
import einhorn.protocol.StateYaml;

import java.util.Map;

final class StateCommand implements Command {
    public String name() { return "state"; }
    public String help() { return "Get a dump of Einhorn's current state (args: [json])"; }
    public Args args() { return Args.OPTIONAL; }

    public void run(Call call) {
        String format = call.args.isEmpty() ? "yaml" : call.args.getFirst();
        switch (format) {
            case "yaml" -> call.reply(StateYaml.write(Map.of(new einhorn.protocol.Sym("state"), call.master.stateTree())));
            case "json" -> call.reply(Json.write(Map.of(new einhorn.protocol.Sym("state"), call.master.stateTree())));
            default -> call.error("Unknown state format: \"" + format + "\". Use \"yaml\" or \"json\".");
        }
    }
}
