package einhorn.shell;

import java.io.IOException;
import java.io.PrintStream;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Interactive mode (SPEC §15.2): greet via {@code ehlo}, then read lines with the prompt {@code > }, line
 * editing and in-memory history until EOF, Ctrl-C, {@code quit} or {@code exit}. The only class that uses
 * JLine, so the non-interactive path never loads it.
 */
final class Interactive {
    private Interactive() {}

    static void run(Session session, PrintStream err) throws IOException {
        if (!session.ehlo(System.getenv("USER"))) return;
        err.println("Enter 'help' if you're not sure what to do.");
        err.println();
        err.println("Type \"quit\" or \"exit\" to quit at any time");
        err.flush();
        try (Terminal terminal = TerminalBuilder.builder().system(true).jni(false).ffm(false).build()) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("einhornsh").build();
            while (true) {
                String line;
                try {
                    line = reader.readLine("> ");
                } catch (EndOfFileException | UserInterruptException e) {
                    return;
                }
                switch (session.runLine(line)) {
                    case QUIT -> {
                        err.println("Goodbye!");
                        return;
                    }
                    case DISCONNECTED -> {
                        return;
                    }
                    case CONTINUE -> { }
                }
            }
        }
    }
}
