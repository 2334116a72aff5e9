package einhorn.it;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the product under test lives: the launchers, the examples and the tools the workers use. */
final class Env {
    private Env() {}

    static Path root() {
        String prop = System.getProperty("einhorn.root");
        Path p = prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("").toAbsolutePath().getParent();
        return p.toAbsolutePath().normalize();
    }

    static String einhorn() {
        return root().resolve("bin/einhorn").toString();
    }

    static String einhornsh() {
        return root().resolve("bin/einhornsh").toString();
    }

    /** The version the build stamps; the parent pom passes it in. */
    static String version() {
        return System.getProperty("einhorn.version", "0.1.0");
    }

    /** A python3 that works with {@code PATH=/usr/bin:/bin}, so workers run under {@code env -i} too. */
    static String python() {
        for (String p : new String[] {"/usr/bin/python3", "/usr/local/bin/python3"}) {
            if (Files.isExecutable(Path.of(p))) return p;
        }
        return "python3";
    }
}
