package einhorn.master.control;

/** One command of the protocol (SPEC §6). Implementations are small and stateless. */
interface Command {
    enum Args { IGNORED, OPTIONAL, REQUIRED }

    String name();

    /** The `help` line's description, or null for hidden commands. */
    String help();

    default Args args() {
        return Args.IGNORED;
    }

    void run(Call call) throws Exception;
}
