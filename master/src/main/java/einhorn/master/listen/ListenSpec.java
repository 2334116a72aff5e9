package einhorn.master.listen;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One `-b HOST:PORT[,FLAG...]` listener, as the user wrote it (SPEC §3.1). */
public record ListenSpec(String host, int port, List<String> flags, boolean reuseAddr, boolean nonBlock) {

    static final String FLAGS_HELP =
            "flags are comma-separated, each one of r, so_reuseaddr, n, o_nonblock";

    /** Parses a `-b` value; the exception message names what is wrong and what is accepted. */
    public static ListenSpec parse(String value) {
        String[] parts = value.split(",", -1);
        String addr = parts[0];
        if (addr.startsWith("[") || addr.startsWith("/") || addr.startsWith("unix:")) {
            throw new IllegalArgumentException(
                    "only IPv4 HOST:PORT is supported (IPv6 and UNIX listeners are not built yet)");
        }
        int colon = addr.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected HOST:PORT[,FLAG...]");
        }
        String host = addr.substring(0, colon);
        String port = addr.substring(colon + 1);
        if (host.isEmpty() || host.contains(":")) {
            throw new IllegalArgumentException(host.isEmpty()
                    ? "missing host (expected HOST:PORT[,FLAG...])"
                    : "only IPv4 HOST:PORT is supported (IPv6 listeners are not built yet)");
        }
        if (!onlyOf(port, false) || port.length() > 5 || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("port \"" + port + "\" is not a number from 0 to 65535");
        }
        boolean reuse = false;
        boolean nonBlock = false;
        List<String> flags = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String flag = parts[i];
            if (!onlyOf(flag, true)) {
                throw new IllegalArgumentException("bad flag \"" + flag + "\"; " + FLAGS_HELP);
            }
            switch (flag.toLowerCase(Locale.ROOT)) {
                case "r", "so_reuseaddr" -> reuse = true;
                case "n", "o_nonblock" -> nonBlock = true;
                default -> throw new IllegalArgumentException("unknown flag \"" + flag + "\"; " + FLAGS_HELP);
            }
            flags.add(flag);
        }
        return new ListenSpec(host, Integer.parseInt(port), List.copyOf(flags), reuse, nonBlock);
    }

    /** Resolves HOST to an IPv4 address (a literal or a name such as localhost). */
    public byte[] resolveIpv4() throws UnknownHostException {
        for (InetAddress a : InetAddress.getAllByName(host)) {
            if (a instanceof Inet4Address) {
                return a.getAddress();
            }
        }
        throw new UnknownHostException(host + " has no IPv4 address");
    }

    /** Non-empty and only ASCII digits, or (with {@code word}) only {@code [A-Za-z0-9_]}; no regex at start-up. */
    private static boolean onlyOf(String s, boolean word) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9')
                    || (word && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'));
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
