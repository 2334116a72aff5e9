package einhorn.master;

import einhorn.master.cli.Config;
import einhorn.master.listen.ListenSpec;
import einhorn.master.upgrade.Upgrade;
import einhorn.master.workers.Worker;
import einhorn.protocol.Sym;
import einhorn.protocol.Timestamp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the `state` reply's tree (SPEC §6.3): symbol keys, pids as integer keys, times as timestamps. */
final class StateTree {
    private StateTree() {}

    record Snapshot(Config config, Settings settings, int verbosity, Clock clock, Collection<Worker> workers,
                    int version, int generation, boolean respawn, Upgrade upgrade, long lastSpinup,
                    int consecutiveDeaths, int[] boundPorts) {}

    static Map<Object, Object> build(Snapshot s) {
        Config c = s.config();
        Map<Object, Object> st = new LinkedHashMap<>();
        Map<Object, Object> children = new LinkedHashMap<>();
        for (Worker w : s.workers()) {
            children.put((long) w.pid, child(w, s.clock()));
        }
        st.put(sym("children"), children);
        Map<Object, Object> cfg = new LinkedHashMap<>();
        cfg.put(sym("number"), (long) s.settings().number);
        cfg.put(sym("backlog"), (long) c.backlog());
        cfg.put(sym("seconds"), s.settings().seconds);
        cfg.put(sym("max_unacked"), lng(s.settings().maxUnacked));
        cfg.put(sym("max_upgrade_additional"), lng(s.settings().maxUpgradeAdditional));
        cfg.put(sym("gc_before_fork"), c.gcBeforeFork());
        st.put(sym("config"), cfg);
        st.put(sym("version"), (long) s.version());
        st.put(sym("generation"), (long) s.generation());
        st.put(sym("orig_cmd"), c.origCmd());
        st.put(sym("cmd"), c.cmd());
        List<Object> bind = new ArrayList<>();
        List<Object> bindFds = new ArrayList<>();
        for (int i = 0; i < c.binds().size(); i++) {
            ListenSpec b = c.binds().get(i);
            bind.add(List.of(b.host(), (long) b.port(), b.flags()));
            bindFds.add(3L + i);
        }
        st.put(sym("bind"), bind);
        st.put(sym("bind_fds"), bindFds);
        List<Object> ports = new ArrayList<>();
        for (int p : s.boundPorts()) {
            ports.add((long) p);
        }
        st.put(sym("bound_ports"), ports);
        st.put(sym("respawn"), s.respawn());
        st.put(sym("upgrading"), s.upgrade().upgrading());
        st.put(sym("smooth_upgrade"), s.upgrade().smooth());
        st.put(sym("reloading_for_upgrade"), false);
        st.put(sym("last_spinup"), time(s.lastSpinup(), s.clock()));
        st.put(sym("last_upgraded"), time(s.upgrade().lastUpgraded(), s.clock()));
        st.put(sym("consecutive_deaths_before_ack"), (long) s.consecutiveDeaths());
        Map<Object, Object> ack = new LinkedHashMap<>();
        if (c.manualAck()) {
            ack.put(sym("type"), sym("manual"));
        } else {
            ack.put(sym("type"), sym("timer"));
            ack.put(sym("timeout"), c.ackTimeout());
        }
        st.put(sym("ack_mode"), ack);
        st.put(sym("verbosity"), (long) s.verbosity());
        st.put(sym("signal_timeout"), lng(s.settings().signalTimeout));
        st.put(sym("cmd_name"), c.cmdName());
        st.put(sym("path"), c.preloadPath());
        st.put(sym("preloaded"), false);
        st.put(sym("kill_children_on_exit"), c.killChildrenOnExit());
        st.put(sym("command_socket_as_fd"), c.commandSocketAsFd());
        Map<Object, Object> nice = new LinkedHashMap<>();
        nice.put(sym("master"), c.nice() == null ? null : lng(c.nice().master()));
        nice.put(sym("worker"), c.nice() == null ? null : lng(c.nice().worker()));
        nice.put(sym("renice_cmd"), c.nice() == null ? "/usr/bin/renice" : c.nice().reniceCmd());
        st.put(sym("nice"), nice);
        st.put(sym("reexec_commandline"), c.reexecAs());
        st.put(sym("drop_environment_variables"), c.dropEnvVars());
        st.put(sym("socket_path"), c.socketPath());
        st.put(sym("pidfile"), c.pidfile());
        st.put(sym("lockfile"), c.lockfile());
        return st;
    }

    private static Map<Object, Object> child(Worker w, Clock clock) {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put(sym("type"), sym("worker"));
        m.put(sym("version"), (long) w.version);
        m.put(sym("acked"), w.acked());
        m.put(sym("signaled"), w.signals());
        m.put(sym("last_signaled_at"), time(w.lastSignaledAt(), clock));
        m.put(sym("index"), (long) w.index);
        m.put(sym("spinup_time"), time(w.spinupTime, clock));
        m.put(sym("pinged_at"), time(w.pingedAt(), clock));
        m.put(sym("pinged_request_id"), w.pingedRequestId());
        return m;
    }

    private static Sym sym(String name) {
        return new Sym(name);
    }

    private static Long lng(Integer v) {
        return v == null ? null : (long) v;
    }

    private static Timestamp time(long mono, Clock clock) {
        return mono < 0 ? null : new Timestamp(clock.wall(mono));
    }
}
