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
import einhorn.posix.Io;
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
        System.exit(run(config, env));
    }

    /** SPEC §2.5: the runtime, our classes and the native bindings load. */
    private static int upgradeCheck(Config config) {
        int pid = Posix.getpid();
        new Log(pid, config.verbosity()).info("Upgrade check passed: Java " + Runtime.version()
                + ", Einhorn " + Version.VERSION + ", native bindings loaded");
        return 0;
    }

    private static int run(Config config, Map<String, String> env) {
        int pid = Posix.getpid();
        Log log = new Log(pid, config.verbosity());
        Clock clock = new Clock();
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
        ProcTitle.set("einhorn: " + (config.cmdName() != null ? config.cmdName() : String.join(" ", config.origCmd())),
                "einhorn");
        notes(config, log);

        EventLoop loop = new EventLoop((fd, e) -> log.error("Internal error while handling fd " + fd + ": " + e));
        CommandServer server = new CommandServer(commandFd, loop, log);
        int[] listenFds = listeners.stream().mapToInt(Listener::fd).toArray();
        int[] ports = listeners.stream().mapToInt(Listener::port).toArray();
        Pool pool = new Pool(new Pool.Launch(config.cmd(), listenFds, config.socketPath(), config.commandSocketAsFd(),
                WorkerEnv.fromProcessEnv(env)), log, clock, pid, server::adopt);
        Master master = new Master(config, new Settings(config), log, clock, pid, pool, server, files, ports);
        server.start(new Dispatcher(master, server, log));
        log.setUpgradeSink(server::stream);
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
        files.cleanup();
        Io.close(commandFd);
        return status;
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
