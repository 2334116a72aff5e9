package einhorn.shell;

import static java.nio.charset.StandardCharsets.UTF_8;

import einhorn.protocol.SocketPaths;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code einhornsh}: a shell for a running Einhorn master (SPEC §15). Non-interactive runs (with {@code -e},
 * or with commands piped on stdin) must start fast, so this class touches nothing heavier than a socket;
 * JLine is only loaded, by {@link Interactive}, when stdin is a terminal.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false, UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, UTF_8);
        // The process ends right after, and the kernel closes the socket; an explicit close() would first
        // initialise sun.nio.ch.Net, about 10 ms of start-up-sized work for nothing.
        int status = run(args, System.in, out, err, stdinIsTerminal(), false);
        out.flush();
        err.flush();
        // halt, not exit: exit looks up a System.Logger to log the call, which costs start-up-sized time;
        // there are no shutdown hooks to run (interactive mode closes its terminal itself).
        Runtime.getRuntime().halt(status);
    }

    /** Runs einhornsh non-interactively on the given streams and returns its exit status. */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return run(args, in, out, err, false, true);
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err, boolean terminal, boolean close) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (Options.UsageException e) {
            if (e.getMessage() != null) err.println("einhornsh: " + e.getMessage());
            err.print(Options.USAGE);
            err.flush();
            return 1;
        }
        String path = options.path() != null ? options.path() : SocketPaths.defaultPath(options.name(), "sock");
        MasterConnection master;
        try {
            master = MasterConnection.open(path);
        } catch (IOException e) {
            err.println("einhornsh: could not connect to Einhorn master at " + path + ": " + reason(e)
                    + " (is it running? pass -c NAME or -d PATH)");
            return 1;
        }
        try {
            Session session = new Session(master, path, out, err);
            if (options.commands() != null) {
                session.runLine(options.commands());
            } else if (terminal) {
                Interactive.run(session, err);
            } else {
                readStdin(session, in);
            }
            return session.failed() ? 1 : 0;
        } catch (IOException e) {
            err.println("einhornsh: " + reason(e));
            return 1;
        } finally {
            out.flush();
            if (close) closeQuietly(master);
        }
    }

    private static void closeQuietly(MasterConnection master) {
        try {
            master.close();
        } catch (IOException e) {
            // all the work is done; nothing useful to add
        }
    }

    private static void readStdin(Session session, InputStream in) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, UTF_8));
        for (String line; (line = lines.readLine()) != null; ) {
            if (session.runLine(line) != Session.Next.CONTINUE) return;
        }
    }

    /** A short reason, like "No such file or directory", for an I/O failure. */
    static String reason(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** Whether fd 0 is a terminal, without loading a console or native code. */
    static boolean stdinIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            var console = System.console();
            return console != null && console.isTerminal();
        }
    }
}
