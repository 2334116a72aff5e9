package einhorn.master;

import einhorn.master.cli.Config;
import einhorn.posix.ErrnoException;
import einhorn.posix.Io;
import einhorn.posix.Sockets;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The lockfile, command socket and pidfile (SPEC §12): created in start-up order, and at exit
 * removed only when this master made them.
 */
public final class Files {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final Config config;
    private final Log log;
    private final int pid;
    private boolean createdSocket;
    private boolean wrotePidfile;

    public Files(Config config, Log log, int pid) {
        this.config = config;
        this.log = log;
        this.pid = pid;
    }

    /** Steps 2–3: take the lock, make the command socket, release the lock. Returns the socket's fd. */
    public int createCommandSocket() throws StartupException {
        Path lock = Path.of(config.lockfile());
        try (FileChannel ch = FileChannel.open(lock, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            FileLock held;
            try {
                held = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                held = null;
            }
            if (held == null) {
                throw new StartupException("File lock already acquired by another Einhorn process. This likely indicates"
                        + " you tried to run Einhorn masters with the same lockfile (" + lock + "); pass -f to use another.");
            }
            return createSocket();
        } catch (IOException e) {
            throw new StartupException("Could not open lockfile " + lock + ": " + describe(e));
        }
    }

    private int createSocket() throws StartupException {
        String path = config.socketPath();
        Integer mode = modeOf(Path.of(path));
        if (mode != null) {
            if ((mode & S_IFMT) != S_IFSOCK) {
                throw new StartupException("Non-socket file present at Einhorn command socket path " + path
                        + ". Either remove that file and restart Einhorn, or change the command socket path (-d flag).");
            }
            if (accepts(path)) {
                throw new StartupException("Another process (probably another Einhorn) is listening on the Einhorn command"
                        + " socket at " + path + ". If you'd like to run this Einhorn as well, pass a `-d PATH_TO_SOCKET`"
                        + " argument to specify a different command socket.");
            }
            log.info("Blowing away old Einhorn command socket at " + path + ". This likely indicates a previous Einhorn master which exited uncleanly.");
            try {
                java.nio.file.Files.deleteIfExists(Path.of(path));
            } catch (IOException e) {
                throw new StartupException("Could not remove stale command socket " + path + ": " + describe(e));
            }
        }
        try {
            int fd = Sockets.listenUnix(path, 128);
            createdSocket = true;
            return fd;
        } catch (ErrnoException e) {
            throw new StartupException("Could not create command socket at " + path + ": " + e.getMessage());
        }
    }

    private static boolean accepts(String path) {
        try {
            Io.close(Sockets.connectUnix(path));
            return true;
        } catch (ErrnoException e) {
            return false;
        }
    }

    private static Integer modeOf(Path p) throws StartupException {
        try {
            return (Integer) java.nio.file.Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new StartupException("Could not inspect command socket path " + p + ": " + describe(e));
        }
    }

    /** Step 4: the pid and a newline, written atomically (SPEC §12.3). */
    public void writePidfile() throws StartupException {
        Path target = Path.of(config.pidfile()).toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + pid + ".tmp");
        try {
            java.nio.file.Files.writeString(tmp, pid + "\n", StandardCharsets.US_ASCII);
            java.nio.file.Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            wrotePidfile = true;
        } catch (IOException e) {
            try {
                java.nio.file.Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
            throw new StartupException("Could not write pidfile " + target + ": " + describe(e));
        }
    }

    /** An I/O failure as the OS words it ("No such file or directory"), without Java exception names. */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    public java.util.Map<String, Object> toState() {
        return java.util.Map.of("created_socket", createdSocket, "wrote_pidfile", wrotePidfile);
    }

    public void restore(java.util.Map<?, ?> m) {
        createdSocket = Boolean.TRUE.equals(m.get("created_socket"));
        wrotePidfile = Boolean.TRUE.equals(m.get("wrote_pidfile"));
    }

    /** Removes what this master created: the socket, and the pidfile if it still holds our pid. Never the lockfile. */
    public void cleanup() {
        if (createdSocket) {
            delete(Path.of(config.socketPath()));
            createdSocket = false;
        }
        if (wrotePidfile) {
            Path p = Path.of(config.pidfile());
            try {
                if (java.nio.file.Files.readString(p, StandardCharsets.US_ASCII).trim().equals(Integer.toString(pid))) {
                    delete(p);
                }
            } catch (IOException ignored) {
                // already gone
            }
            wrotePidfile = false;
        }
    }

    private void delete(Path p) {
        try {
            java.nio.file.Files.deleteIfExists(p);
        } catch (IOException e) {
            log.error("Could not remove " + p + ": " + describe(e));
        }
    }

    /** A start-up failure (SPEC §12.1): one line, then exit 1. */
    public static final class StartupException extends Exception {
        public StartupException(String message) {
            super(message, null, false, false);
        }
    }
}
