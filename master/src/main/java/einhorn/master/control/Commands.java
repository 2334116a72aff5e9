package einhorn.master.control;

import java.util.List;

/** The registry: every command the socket understands. */
final class Commands {
    private Commands() {}

    static List<Command> all() {
        return List.of(new Help(), new Ehlo(), new StateCommand(),
                new WorkerCount.Inc(), new WorkerCount.Dec(), new WorkerCount.SetWorkers(),
                new Verbosity.Quieter(), new Verbosity.Louder(),
                new SignalCommand(), new Die(), new ConfigCommand(), new Reload(),
                new UpgradeCommand.Smooth(), new UpgradeCommand.Fleet(),
                new WorkerMessage.Ack(), new WorkerMessage.Ping());
    }

    /** The help lines of the visible commands, sorted bytewise. */
    static String helpLines() {
        StringBuilder sb = new StringBuilder();
        all().stream().filter(c -> c.help() != null).map(c -> c.name() + ": " + c.help()).sorted()
                .forEach(l -> sb.append(sb.isEmpty() ? "" : "\n").append(l));
        return sb.toString();
    }
}
