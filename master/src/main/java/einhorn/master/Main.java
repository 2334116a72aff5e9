package einhorn.master;

import einhorn.master.cli.Cli;
import einhorn.master.cli.Config;
import einhorn.master.cli.UsageException;
import einhorn.master.control.CommandServer;
import einhorn.master.control.Dispatcher;
import einhorn.master.listen.Listener;
import einhorn.master.listen.Listeners;
import einhorn.master.loop.EventLoop;
import einhorn.master.loop.MasterSignals;
import einhorn.master.workers.Pool;
import einhorn.master.workers.WorkerEnv;
import einhorn.posix.Epoll;
import einhorn.master.reload.HandOver;
import einhorn.posix.Posix;
import einhorn.posix.ProcTitle;
import einhorn.posix.Signals;

import java.util.List;
import java.util.Map;

/** `einhorn`: validate, (re-exec with signals blocked), create files and listeners, spawn, serve. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        Config config;
        try {
            config = Cli.parse(args, env);
        } catch (UsageException e) {
            (e.toStdout() ? System.out : System.err).println(e.getMessage());
            System.out.flush();
            System.exit(e.status());
            return;
        }
        if (config.upgradeCheck()) {
            System.exit(upgradeCheck(config));
        }
        if (!MasterSignals.blockedImage(env)) {
            try {
                MasterSignals.reexecBlocked();
            } catch (Exception e) {
                System.err.println("einhorn: could not re-execute the master with its signals blocked: " + e.getMessage());
                System.exit(1);
            }
        }
        System.exit(config.withStateFd() != null ? restore(config.withStateFd(), env) : run(config, env));
    }

    /** SPEC §2.5: the runtime, our classes and the native bindings load. */
    private static int upgradeCheck(Config config) {
        int pid = Posix.getpid();
        String witness = System.getenv(einhorn.master.reload.Reexec.PROBE_FD_VAR);
        if (witness != null && witness.indexOf(':') > 0) {
            String fd = witness.substring(0, witness.indexOf(':'));
            String expected = witness.substring(witness.indexOf(':') + 1);
            if (!expected.equals(einhorn.master.reload.Reexec.fdTarget(Integer.parseInt(fd)))) {
                new Log(pid, 1).error("Upgrade check failed: inherited fd " + fd + " did not arrive; the re-exec"
                        + " (--reexec-as wrapper?) closes inherited descriptors, which would lose the listeners");
                return einhorn.master.reload.Reexec.PROBE_LOST_FDS;
            }
            byte[] ok = (einhorn.master.reload.Reexec.PROBE_ANSWER + " " + Version.VERSION + "\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            einhorn.posix.Io.write(Integer.parseInt(fd), ok, 0, ok.length);
        }
        new Log(pid, config.verbosity()).info("Upgrade check passed: Java " + Runtime.version()
                + ", Einhorn " + Version.VERSION + ", native bindings loaded");
        return 0;
    }

    /** A fresh start (SPEC §12.1 steps 2–7). */
    private static int run(Config config, Map<String, String> env) {
        int pid = Posix.getpid();
        Log log = new Log(pid, config.verbosity());
        Files files = new Files(config, log, pid);
        int commandFd;
        List<Listener> listeners;
        try {
            commandFd = files.createCommandSocket();
            files.writePidfile();
            listeners = Listeners.bindAll(config.binds(), config.backlog());
        } catch (Files.StartupException | IllegalStateException e) {
            log.error(e.getMessage());
            files.cleanup();
            return 1;
        }
        int[] listenFds = listeners.stream().mapToInt(Listener::fd).toArray();
        int[] ports = listeners.stream().mapToInt(Listener::port).toArray();
        return serve(new Image(config, log, files, commandFd, listenFds, ports,
                System.getProperty("einhorn.launcher", "einhorn"), env, null));
    }

    /** A reloaded image: everything comes from the hand-over state (SPEC §9.4, §9.5). */
    private static int restore(int stateFd, Map<String, String> env) {
        int pid = Posix.getpid();
        HandOver.Restored r;
        try {
            r = HandOver.read(stateFd);
        } catch (HandOver.RestoreException e) {
            new Log(pid, 1).error("Could not restore state from fd " + stateFd + ": " + e.getMessage());
            return 1;
        }
        Config config = r.config();
        Log log = new Log(pid, config.verbosity());
        log.info("Restored image ignores its command-line options; settings come from the hand-over state.");
        if (r.note() != null) {
            log.info(r.note());
        }
        int[] listenFds = r.listeners().stream().mapToInt(HandOver.Listed::fd).toArray();
        int[] ports = r.listeners().stream().mapToInt(HandOver.Listed::port).toArray();
        String launcher = r.launcherPath() != null ? r.launcherPath() : System.getProperty("einhorn.launcher", "einhorn");
        return serve(new Image(config, log, new Files(config, log, pid), r.commandServerFd(), listenFds, ports,
                launcher, env, r));
    }

    /** What one master image runs with; {@code restored} is null on a fresh start. */
    private record Image(Config config, Log log, Files files, int commandFd, int[] listenFds, int[] ports,
                         String launcherPath, Map<String, String> env, HandOver.Restored restored) {}

    private static int serve(Image img) {
        Config config = img.config();
        Log log = img.log();
        int pid = Posix.getpid();
        Clock clock = new Clock();
        ProcTitle.set("einhorn: " + (config.cmdName() != null ? config.cmdName() : String.join(" ", config.origCmd())),
                "einhorn");

        EventLoop loop = new EventLoop((fd, e) -> log.error("Internal error while handling fd " + fd + ": " + e));
        CommandServer server = new CommandServer(img.commandFd(), loop, log, config.maxConnections());
        WorkerEnv workerEnv = WorkerEnv.fromProcessEnv(img.env());
        Config.Nice nice = config.nice();
        if (nice != null) {
            renice(nice.reniceCmd(), nice.master(), pid, workerEnv, log);
        }
        if (config.killChildrenOnExit() && !new java.io.File("/usr/bin/setpriv").canExecute()) {
            log.error("-k: /usr/bin/setpriv (util-linux) is missing, so workers get no parent-death signal;"
                    + " they are still sent USR2 when the master exits by its own path");
        }
        boolean[] nonBlock = new boolean[img.listenFds().length];
        for (int i = 0; i < nonBlock.length; i++) {
            nonBlock[i] = config.binds().get(i).nonBlock();
        }
        Posix.setChildSubreaper();
        if (config.killChildrenOnExit()) {
            einhorn.posix.PrimordialThread.install();
        }
        Pool pool = new Pool(new Pool.Launch(config.cmd(), img.listenFds(), nonBlock, config.socketPath(),
                config.commandSocketAsFd(), workerEnv, config.killChildrenOnExit(),
                nice == null ? null : nice.reniceCmd(), nice == null ? null : nice.worker()),
                log, clock, pid, server::adopt);
        Settings settings = new Settings(config);
        Master master = new Master(config, settings, log, clock, pid, pool, server, img.files(), img.listenFds(),
                img.ports(), img.launcherPath(), workerEnv.base(), launcherHints(img.env()));
        server.start(new Dispatcher(master, server, log));
        log.setUpgradeSink(server::stream);
        if (img.restored() != null) {
            pool.launch().applyBlockingModes();
            server.restore(img.restored().connections());
        }
        // After the restored subscriptions are back: the -p note is upgrade-tagged (SPEC §13.2).
        notes(config, log);
        if (img.restored() != null) {
            master.restore(img.restored().runtime(), pool.restore(img.restored().children()));
            server.resume();
        }
        int signalFd = MasterSignals.open();
        loop.register(signalFd, Epoll.IN, e -> {
            int s;
            while ((s = Signals.readSignal(signalFd)) >= 0) {
                master.onSignal(s);
            }
        });
        int status;
        try {
            loop.run(master);
            status = master.exitStatus();
        } catch (Throwable t) {
            log.error("Unrecoverable internal error: " + t);
            status = 1;
        }
        master.killChildrenOnExit();
        img.files().cleanup();
        return status;
    }

    /** What bin/einhorn needs to re-exec the master without forking (see Master.reload). */
    private static Map<String, String> launcherHints(Map<String, String> env) {
        Map<String, String> hints = new java.util.LinkedHashMap<>();
        hints.put("__EINHORN_JAVA", System.getProperty("java.home") + "/bin/java");
        String shellVars = env.get("__EINHORN_USER_SHELL_VARS");
        if (shellVars != null) {
            hints.put("__EINHORN_USER_SHELL_VARS", shellVars);
        }
        return hints;
    }

    /** SPEC §13.3: `/bin/sh -c "CMD LEVEL -p PID"`, stdout discarded, a failure logged. */
    private static void renice(String cmd, int level, int pid, WorkerEnv env, Log log) {
        List<String> argv = List.of("/bin/sh", "-c", cmd + " " + level + " -p " + pid + " >/dev/null");
        List<String> envList = new java.util.ArrayList<>();
        env.base().forEach((k, v) -> envList.add(k + "=" + v));
        try {
            einhorn.posix.ExitStatus st = Subprocess.run("/bin/sh", argv, envList, 10_000);
            if (st == null || !st.exited() || st.exitCode() != 0) {
                log.error("Renicing the master failed: " + String.join(" ", argv.subList(2, 3)) + " ("
                        + (st == null ? "timed out" : st.describe()) + ")");
            }
        } catch (RuntimeException e) {
            log.error("Renicing the master failed: " + e.getMessage());
        }
    }

    private static void notes(Config config, Log log) {
        if (config.preloadPath() != null) {
            log.upgradeInfo("Proceeding with postload: preloading " + config.preloadPath()
                    + " is not available in a JVM master, so workers are exec'd normally.");
        }
        if (config.gcBeforeFork()) {
            log.info("--gc-before-fork has no effect on the JVM; accepted for compatibility.");
        }
    }
}
