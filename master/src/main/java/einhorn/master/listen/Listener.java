package einhorn.master.listen;

/** A bound listening socket: the master's own fd (close-on-exec) and the port the kernel gave it. */
public record Listener(ListenSpec spec, int fd, int port) {}
