package einhorn.posix;

/** The credentials of a UNIX-socket peer as the kernel recorded them at connect time. */
public record PeerCred(int pid, int uid, int gid) {}
