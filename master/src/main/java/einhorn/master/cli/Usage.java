package einhorn.master.cli;

/** The short usage (no worker command) and the long `--help` text. Keep in step with README.md. */
final class Usage {
    private Usage() {}

    static final String SHORT = """
            ## Usage
            einhorn [options] [--] COMMAND [ARGS...]
            Run `einhorn --help` for the options.""";

    static final String LONG = """
            ## Usage
            einhorn [options] [--] COMMAND [ARGS...]

            Einhorn for the JVM: binds listening sockets once, runs N copies of COMMAND that inherit
            them (fds 3, 4, ... announced in EINHORN_FDS), keeps them alive and upgrades them without
            dropping a connection. Drive it with einhornsh and signals (HUP upgrades, INT/TERM stop).

            Options (parsed in order; the first non-option word starts COMMAND):
              -b, --bind HOST:PORT[,FLAG...]   Listen on an IPv4 address (repeatable). Flags:
                                               r/so_reuseaddr, n/o_nonblock.
              -c, --command-name NAME          Name in ps, in file names and in ehlo.
              -d, --socket-path PATH           Command socket (default $TMPDIR/einhorn[-NAME].sock).
              -e, --pidfile FILE               Pidfile (default $TMPDIR/einhorn[-NAME].pid).
              -f, --lockfile FILE              Lockfile (default $TMPDIR/einhorn[-NAME].lock).
              -g, --command-socket-as-fd       Give each worker a command connection as fd EINHORN_SOCK_FD.
              -h, --help                       Show this help.
              -k, --kill-children-on-exit      Send USR2 to the workers when the master exits.
              -l, --backlog N                  listen() backlog (default 100).
              -m, --ack-mode manual|SECONDS    Manual acks, or consider a worker up after SECONDS (default 1).
              -n, --number N                   Number of workers (default 1).
              -p, --preload PATH               Accepted for compatibility; workers are always exec'd.
              -q, --quiet                      Log less (repeatable).
              -v, --verbose                    Log more (repeatable).
              -s, --seconds SECONDS            Base interval between gradual spawns (default 1).
              -t, --signal-timeout SECONDS     SIGKILL workers still alive this long after a signal.
                  --max-unacked N              At most N unacked new workers at once (default: CPU count).
                  --max-upgrade-additional N   At most number+N live workers during an upgrade.
                  --drop-env-var VAR           Drop VAR from the environment on reload (repeatable).
                  --reexec-as CMDLINE          Re-execute the master through this command line.
                  --nice M[:W[:CMD]]           Nice level of the master (and workers).
                  --gc-before-fork             Accepted for compatibility; no effect on the JVM.
                  --max-connections N          At most N command-socket clients at once (default 1000).
                  --version                    Print the version.""";
}
