package einhorn.master.listen;

import einhorn.posix.ErrnoException;
import einhorn.posix.Io;
import einhorn.posix.Sockets;

import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** Binds every `-b` listener in order (SPEC §3.2); on failure closes what it bound and says which address failed. */
public final class Listeners {
    private Listeners() {}

    public static List<Listener> bindAll(List<ListenSpec> specs, int backlog) {
        List<Listener> bound = new ArrayList<>();
        try {
            for (ListenSpec spec : specs) {
                bound.add(bind(spec, backlog));
            }
            return List.copyOf(bound);
        } catch (RuntimeException e) {
            bound.forEach(l -> Io.close(l.fd()));
            throw e;
        }
    }

    private static Listener bind(ListenSpec spec, int backlog) {
        String where = spec.host() + ":" + spec.port();
        byte[] ip;
        try {
            ip = spec.resolveIpv4();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("Could not bind " + where + ": cannot resolve " + spec.host());
        }
        try {
            int fd = Sockets.listenTcp4(ip, spec.port(), spec.reuseAddr(), spec.nonBlock(), backlog);
            return new Listener(spec, fd, Sockets.localPort(fd));
        } catch (ErrnoException e) {
            throw new IllegalStateException("Could not bind " + where + ": " + e.getMessage());
        }
    }
}
