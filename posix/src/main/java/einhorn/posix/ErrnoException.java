package einhorn.posix;

/**
 * A failed system call: the call's name (sometimes with its argument, e.g. the spawned path) and
 * the Linux errno. Unchecked, because nearly every call in this package can fail this way and the
 * caller decides per errno.
 */
public final class ErrnoException extends RuntimeException {
    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, E2BIG = 7,
            ENOEXEC = 8, EBADF = 9, ECHILD = 10, EAGAIN = 11, EWOULDBLOCK = EAGAIN, ENOMEM = 12,
            EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17, ENOTDIR = 20, EISDIR = 21,
            EINVAL = 22, ENFILE = 23, EMFILE = 24, ETXTBSY = 26, ENOSPC = 28, EPIPE = 32,
            ENAMETOOLONG = 36, ENOSYS = 38, ELOOP = 40, ENOTSOCK = 88, EOPNOTSUPP = 95,
            EAFNOSUPPORT = 97, EADDRINUSE = 98, EADDRNOTAVAIL = 99, ENETUNREACH = 101,
            ECONNABORTED = 103, ECONNRESET = 104, ENOTCONN = 107, ETIMEDOUT = 110,
            ECONNREFUSED = 111, EINPROGRESS = 115;

    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    public ErrnoException(String call, int errno) {
        super(call + ": " + ErrnoText.of(errno));
        this.call = call;
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    public String call() {
        return call;
    }
}
