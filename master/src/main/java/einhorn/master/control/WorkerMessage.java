package einhorn.master.control;

/** worker:ack and worker:ping (SPEC §6.7): no reply, and the connection is closed afterwards. */
final class WorkerMessage {
    private WorkerMessage() {}

    /** The pid field as a worker pid, or null when missing or not an integer (a string never matches). */
    static Integer pid(Call call) {
        Object pid = call.request.get("pid");
        if (pid instanceof Long l && l > 0 && l <= Integer.MAX_VALUE) {
            return l.intValue();
        }
        if (pid instanceof Integer i && i > 0) {
            return i;
        }
        call.master.log().error("Received " + call.request.get("command") + " with "
                + (pid == null ? "no pid" : "an invalid pid " + pid) + "; ignoring it.");
        return null;
    }

    static final class Ack implements Command {
        public String name() { return "worker:ack"; }
        public String help() { return null; }

        public void run(Call call) {
            call.closeAfterThis();
            Integer pid = pid(call);
            if (pid != null) {
                call.master.ack(pid);
            }
        }
    }

    static final class Ping implements Command {
        public String name() { return "worker:ping"; }
        public String help() { return null; }

        public void run(Call call) {
            call.closeAfterThis();
            Integer pid = pid(call);
            if (pid != null) {
                call.master.ping(pid, call.request.get("request_id"));
            }
        }
    }
}
