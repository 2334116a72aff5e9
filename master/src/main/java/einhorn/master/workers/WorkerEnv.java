package einhorn.master.workers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment a worker starts with (SPEC §4.1): the master image's start environment, minus
 * what the launcher added for the JVM, plus the EINHORN_* variables.
 */
public final class WorkerEnv {
    static final String JAVA_SR_SIGNUM = "_JAVA_SR_SIGNUM";
    static final String INTERNAL_PREFIX = "__EINHORN_";
    static final String CHILD_INDEX = "EINHORN_CHILD_INDEX";
    /**
     * Variables bin/einhorn takes away from the master's own JVM: it sets _JAVA_SR_SIGNUM for itself
     * (so that value is never the user's) and unsets the JVM option variables. The user's own value,
     * if any, is kept in the carrier variable as {@code "=value"} and given back to every worker.
     */
    static final Map<String, String> USER_VALUE_CARRIERS = Map.of(
            JAVA_SR_SIGNUM, "__EINHORN_USER_SR_SIGNUM",
            "JAVA_TOOL_OPTIONS", "__EINHORN_USER_JAVA_TOOL_OPTIONS",
            "JDK_JAVA_OPTIONS", "__EINHORN_USER_JDK_JAVA_OPTIONS",
            "_JAVA_OPTIONS", "__EINHORN_USER__JAVA_OPTIONS");
    /** Set by bin/einhorn: the user's own values of the variables a shell adds, one NAME=value per line. */
    static final String USER_SHELL_VARS = "__EINHORN_USER_SHELL_VARS";
    private static final java.util.Set<String> SHELL_VARS = java.util.Set.of("PWD", "SHLVL", "OLDPWD", "_");

    private final Map<String, String> base;

    private WorkerEnv(Map<String, String> base) {
        this.base = base;
    }

    /** The user's environment, recovered from the one this JVM runs with. */
    public static WorkerEnv fromProcessEnv(Map<String, String> processEnv) {
        Map<String, String> base = new LinkedHashMap<>();
        processEnv.forEach((k, v) -> {
            if (!k.startsWith(INTERNAL_PREFIX) && !k.equals(JAVA_SR_SIGNUM)) {
                base.put(k, v);
            }
        });
        String userShell = processEnv.get(USER_SHELL_VARS);
        if (userShell != null) {
            base.keySet().removeAll(SHELL_VARS);
            for (String line : userShell.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0 && SHELL_VARS.contains(line.substring(0, eq))) {
                    base.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }
        USER_VALUE_CARRIERS.forEach((name, carrier) -> {
            String user = processEnv.get(carrier);
            if (user != null && user.startsWith("=")) {
                base.put(name, user.substring(1));
            }
        });
        return new WorkerEnv(base);
    }

    public Map<String, String> base() {
        return base;
    }

    /**
     * @param fdCount  number of listeners (fds 3 .. 3+n-1)
     * @param sockFd   the -g command fd, or -1
     */
    public List<String> forWorker(int masterPid, String sockPath, int fdCount, int sockFd, int index) {
        Map<String, String> env = new LinkedHashMap<>(base);
        env.keySet().removeIf(k -> isStaleFdVar(k, fdCount) || (sockFd < 0 && k.equals("EINHORN_SOCK_FD")));
        env.put("EINHORN_MASTER_PID", Integer.toString(masterPid));
        env.put("EINHORN_SOCK_PATH", sockPath);
        if (sockFd >= 0) {
            env.put("EINHORN_SOCK_FD", Integer.toString(sockFd));
        }
        env.put("EINHORN_FD_COUNT", Integer.toString(fdCount));
        StringBuilder fds = new StringBuilder();
        for (int i = 0; i < fdCount; i++) {
            env.put("EINHORN_FD_" + i, Integer.toString(3 + i));
            fds.append(i == 0 ? "" : " ").append(3 + i);
        }
        env.put("EINHORN_FDS", fds.toString());
        env.put(CHILD_INDEX, Integer.toString(index));
        List<String> out = new ArrayList<>(env.size());
        env.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    private static boolean isStaleFdVar(String key, int fdCount) {
        if (!key.startsWith("EINHORN_FD_") || key.equals("EINHORN_FD_COUNT")) {
            return false;
        }
        String n = key.substring("EINHORN_FD_".length());
        if (n.isEmpty() || !n.chars().allMatch(Character::isDigit) || n.length() > 9) {
            return false;
        }
        return Integer.parseInt(n) >= fdCount;
    }
}
