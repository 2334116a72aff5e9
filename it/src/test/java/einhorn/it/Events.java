package einhorn.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The {@code DIR/events} log the test workers write (see {@link Workers}). */
final class Events {
    record Event(String type, long pid, long nanos, String index) {}

    private Events() {}

    static List<Event> read(Path dir) {
        Path p = dir.resolve("events");
        if (!Files.exists(p)) return List.of();
        List<Event> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(p)) {
                String[] f = line.split(" ");
                if (f.length == 4) out.add(new Event(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), f[3]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static List<Event> of(Path dir, String type) {
        return read(dir).stream().filter(e -> e.type().equals(type)).toList();
    }

    static List<Event> of(Path dir, String type, long pid) {
        return read(dir).stream().filter(e -> e.type().equals(type) && e.pid() == pid).toList();
    }
}
