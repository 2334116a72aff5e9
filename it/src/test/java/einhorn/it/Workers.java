package einhorn.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Worker programs written into a test's scratch directory. {@code w.py} is one configurable Python
 * worker; its behaviour comes from {@code key=value} arguments, so a shell wrapper such as
 * {@code ok} or {@code crash} can {@code exec} it with a fixed behaviour (and the same pid).
 *
 * <p>Each worker appends events to {@code DIR/events} as {@code EVENT PID MONOTONIC_NS INDEX}:
 * {@code start}, {@code acking} (written just before the ack is sent, so the master cannot have
 * seen the ack earlier), one line per signal received ({@code USR2}, {@code TERM}, ...), and
 * {@code exit}.
 *
 * <p>Arguments: {@code ack=SECONDS|none|file:PATH} (manual ack after a delay, never, or once PATH
 * exists); {@code via=path|fd}; {@code usr2=exit|ignore}; {@code term=exit|ignore}; {@code quit=exit|ignore};
 * {@code exit=CODE@SECONDS}; {@code serve=line} (answer connections on EINHORN_FD_0 with one line);
 * {@code flip=clear|set} (on USR1, clear or set O_NONBLOCK on EINHORN_FD_0);
 * {@code child=sleep} (leave a background {@code sleep} in the process group; {@code child=stubborn}: one that
 * ignores USR2 and TERM);
 * {@code say=TEXT} (print TEXT on stderr at start).
 */
final class Workers {
    private Workers() {}

    static final String W_PY = """
            import fcntl, os, signal, socket, subprocess, sys, time
            args = dict(a.split("=", 1) for a in sys.argv[1:])
            LOG = args.get("log") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "events")
            PID = os.getpid()
            def log(ev):
                line = "%s %d %d %s\\n" % (ev, PID, time.monotonic_ns(), os.environ.get("EINHORN_CHILD_INDEX", "-"))
                fd = os.open(LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
                os.write(fd, line.encode()); os.close(fd)
            def ack():
                log("acking")
                line = b'{"command":"worker:ack","pid":%d}\\n' % PID
                if args.get("via") == "fd":
                    fd = int(os.environ["EINHORN_SOCK_FD"]); os.write(fd, line); os.close(fd)
                else:
                    s = socket.socket(socket.AF_UNIX); s.connect(os.environ["EINHORN_SOCK_PATH"]); s.sendall(line); s.close()
            def on_signal(signum, frame):
                name = signal.Signals(signum).name[3:]
                log(name)
                if name == "USR1" and "flip" in args:
                    lfd = int(os.environ["EINHORN_FD_0"]); fl = fcntl.fcntl(lfd, fcntl.F_GETFL)
                    fcntl.fcntl(lfd, fcntl.F_SETFL, fl & ~os.O_NONBLOCK if args["flip"] == "clear" else fl | os.O_NONBLOCK)
                    log("flipped")
                if (name == "USR2" and args.get("usr2", "exit") == "exit") or (name == "TERM" and args.get("term", "exit") == "exit") \\
                        or name == "INT" or (name == "QUIT" and args.get("quit", "exit") == "exit"):
                    log("exit"); os._exit(0)
            for s in (signal.SIGUSR2, signal.SIGTERM, signal.SIGINT, signal.SIGQUIT, signal.SIGHUP, signal.SIGUSR1, signal.SIGALRM, signal.SIGWINCH):
                signal.signal(s, on_signal)
            log("start")
            if "say" in args:
                sys.stderr.write(args["say"] + "\\n"); sys.stderr.flush()
            if args.get("child") == "sleep":
                subprocess.Popen(["sleep", "100000"], close_fds=False)
            if args.get("child") == "stubborn":
                def deaf():
                    signal.signal(signal.SIGUSR2, signal.SIG_IGN); signal.signal(signal.SIGTERM, signal.SIG_IGN)
                subprocess.Popen(["sleep", "100000"], close_fds=False, preexec_fn=deaf)
            a = args.get("ack", "0")
            if a.startswith("file:"):
                while not os.path.exists(a[5:]):
                    time.sleep(0.02)
                ack()
            elif a != "none":
                time.sleep(float(a)); ack()
            if "exit" in args:
                code, after = args["exit"].split("@")
                time.sleep(float(after)); log("exit"); sys.stderr.flush(); os._exit(int(code))
            if args.get("serve") == "line":
                l = socket.socket(fileno=int(os.environ["EINHORN_FD_0"]))
                while True:
                    c, _ = l.accept()
                    c.sendall(b"hello from %d\\n" % PID); c.close()
            while True:
                signal.pause()
            """;

    /** Writes {@code DIR/w.py} (once) and returns its path. */
    static Path pythonWorker(Path dir) {
        Path p = dir.resolve("w.py");
        if (!Files.exists(p)) write(p, "#!" + Env.python() + " -S\n" + W_PY.stripIndent());
        return p;
    }

    /** Writes an executable shell wrapper {@code DIR/NAME} that execs {@code w.py} with {@code args}. */
    static Path wrapper(Path dir, String name, String... args) {
        Path w = pythonWorker(dir);
        List<String> words = new ArrayList<>();
        words.add("exec");
        words.add(Env.python());
        words.add("-S");
        words.add(w.toString());
        for (String a : args) words.add("'" + a.replace("'", "'\\''") + "'");
        Path p = dir.resolve(name);
        write(p, "#!/bin/sh\n" + String.join(" ", words) + "\n");
        return p;
    }

    /** Writes an executable script with the given text. */
    static Path script(Path dir, String name, String text) {
        Path p = dir.resolve(name);
        write(p, text);
        return p;
    }

    private static void write(Path p, String text) {
        try {
            Files.writeString(p, text);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Points symlink {@code link} at {@code target} atomically ({@code ln -sfn}). */
    static void relink(Path link, Path target) {
        try {
            Path tmp = link.resolveSibling(link.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createSymbolicLink(tmp, target);
            Files.move(tmp, link, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
