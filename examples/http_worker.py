#!/usr/bin/env python3
# http_worker.py: an HTTP/1.1 Einhorn worker (Python 3, standard library only).
#
#   bin/einhorn -b 127.0.0.1:8080,r -n 4 -m manual -- examples/http_worker.py
#   curl -s http://127.0.0.1:8080/      # -> "hello from pid 4242, child index 1"
#
# What it shows:
# - taking the listener einhorn passed (EINHORN_FD_0, or the first of EINHORN_FDS);
# - acking by hand once it is ready to serve (SPEC §4.4), over EINHORN_SOCK_FD with -g, else by
#   connecting to EINHORN_SOCK_PATH;
# - a graceful stop on USR2 (also TERM or INT) that drops nothing, even under a keep-alive load
#   such as wrk: it stops accepting, answers the requests in flight, answers every further request
#   on a kept-alive connection with `Connection: close`, closes connections that stay idle for
#   IDLE_GRACE seconds, and exits 0 once all of its connections are closed.
#
# The listener is shared with every other worker (old and new during an upgrade) and is blocking
# unless einhorn was given `-b ...,n`. Its O_NONBLOCK flag belongs to all of them, so this worker
# never changes it. It accepts with accept4(2) through ctypes in one thread; a stop interrupts that
# call with a signal (EINTR), so the worker cannot hang in accept() and never drops a connection
# the kernel has already handed over. Each connection gets its own thread.
#
# Environment knobs (optional): HTTP_WORKER_IDLE_GRACE (seconds, default 1.0),
# HTTP_WORKER_KEEPALIVE (idle keep-alive timeout, default 30), HTTP_WORKER_DRAIN_TIMEOUT (give up
# on slow clients after a stop, default 30).
import ctypes
import errno
import http.server
import os
import select
import signal
import socket
import sys
import threading
import time

IDLE_GRACE = float(os.environ.get("HTTP_WORKER_IDLE_GRACE", "1.0"))
KEEPALIVE = float(os.environ.get("HTTP_WORKER_KEEPALIVE", "30"))
DRAIN_TIMEOUT = float(os.environ.get("HTTP_WORKER_DRAIN_TIMEOUT", "30"))
STOP_SIGNALS = {signal.SIGUSR2, signal.SIGTERM, signal.SIGINT}
WAKE = signal.SIGUSR1  # sent to our own accept thread only, to interrupt accept4()

PID = os.getpid()
INDEX = os.environ.get("EINHORN_CHILD_INDEX", "?")
stopping = threading.Event()
stop_r, stop_w = os.pipe()  # becomes readable for good once we stop; connection threads poll it


def log(msg):
    sys.stderr.write("http_worker[%d]: %s\n" % (PID, msg))
    sys.stderr.flush()


def listener_fd():
    fd = os.environ.get("EINHORN_FD_0") or (os.environ.get("EINHORN_FDS", "").split() or [None])[0]
    if fd is None:
        sys.exit("http_worker: no listener; run me under einhorn with -b HOST:PORT")
    return int(fd)


def ack():
    """Tells the master we are up: `{"command":"worker:ack","pid":PID}` and a newline (SPEC §4.4)."""
    line = b'{"command":"worker:ack","pid":%d}\n' % PID
    if os.environ.get("EINHORN_SOCK_FD"):
        fd = int(os.environ["EINHORN_SOCK_FD"])
        os.write(fd, line)
        os.close(fd)
    elif os.environ.get("EINHORN_SOCK_PATH"):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.connect(os.environ["EINHORN_SOCK_PATH"])
            s.sendall(line)


class Reader:
    """A minimal buffered reader that can tell whether a request is already buffered (pipelining)."""

    def __init__(self, sock):
        self.sock, self.buf = sock, bytearray()

    def buffered(self):
        return len(self.buf)

    def _fill(self):
        data = self.sock.recv(65536)
        self.buf += data
        return bool(data)

    def readline(self, limit=-1):
        while True:
            end = self.buf.find(b"\n")
            if end >= 0 and (limit < 0 or end < limit):
                return self._take(end + 1)
            if 0 <= limit <= len(self.buf) or not self._fill():
                return self._take(len(self.buf) if limit < 0 else min(limit, len(self.buf)))

    def read(self, n=-1):
        while (n < 0 or len(self.buf) < n) and self._fill():
            pass
        return self._take(len(self.buf) if n < 0 else min(n, len(self.buf)))

    def _take(self, n):
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def close(self):
        pass


def wait_for_request(conn):
    """True once a request starts to arrive; False when the connection should be closed as idle."""
    ready, _, _ = select.select([conn, stop_r], [], [], KEEPALIVE)
    if conn in ready:
        return True
    if not ready:
        return False  # idle keep-alive timeout
    # Stopping and idle: give a client that is about to send its next request the chance to, and
    # answer it with `Connection: close`; close only a connection that stays quiet.
    ready, _, _ = select.select([conn], [], [], IDLE_GRACE)
    return bool(ready)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def setup(self):
        super().setup()
        self.rfile.close()
        self.rfile = Reader(self.connection)

    def handle(self):
        self.close_connection = True
        while True:
            if not self.rfile.buffered() and not wait_for_request(self.connection):
                return
            self.handle_one_request()
            if self.close_connection:
                return

    def do_GET(self, with_body=True):
        body = ("hello from pid %d, child index %s\n" % (PID, INDEX)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if stopping.is_set():
            self.send_header("Connection", "close")  # also sets self.close_connection
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET(with_body=False)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.do_GET()

    def log_message(self, fmt, *args):
        pass  # one line per request would flood the master's log under load

    def log_error(self, fmt, *args):
        log(fmt % args)


class Connections:
    """The live connection threads, so a stop can wait for them."""

    def __init__(self):
        self.lock, self.threads = threading.Lock(), set()

    def serve(self, conn):
        def run():
            try:
                Handler(conn, conn.getpeername(), None)
            except OSError:
                pass  # the client went away
            finally:
                conn.close()
                with self.lock:
                    self.threads.discard(threading.current_thread())

        t = threading.Thread(target=run, daemon=True)
        with self.lock:
            self.threads.add(t)
        t.start()

    def join(self, deadline):
        while True:
            with self.lock:
                left = list(self.threads)
            if not left:
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            left[0].join(remaining)


def accept_loop(lfd, connections):
    libc = ctypes.CDLL(None, use_errno=True)
    accept4 = libc.accept4
    accept4.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int]
    accept4.restype = ctypes.c_int
    while not stopping.is_set():
        fd = accept4(lfd, None, None, socket.SOCK_CLOEXEC)
        if fd < 0:
            err = ctypes.get_errno()
            if err in (errno.EAGAIN, errno.EWOULDBLOCK):  # a `,n` listener: wait for a client
                select.select([lfd, stop_r], [], [])
            elif err in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                log("accept: %s; retrying" % os.strerror(err))
                stopping.wait(0.1)
            elif err not in (errno.EINTR, errno.ECONNABORTED, errno.EPROTO):
                log("accept: %s; no longer accepting" % os.strerror(err))
                return
            continue
        conn = socket.socket(fileno=fd)
        connections.serve(conn)  # even when stopping: the kernel gave it to us, so we answer it


def main():
    lfd = listener_fd()
    signal.signal(WAKE, lambda *_: None)  # a handler (not SIG_IGN), so accept4 returns EINTR
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)  # every thread started below inherits it
    connections = Connections()
    acceptor = threading.Thread(target=accept_loop, args=(lfd, connections), daemon=True)
    acceptor.start()
    ack()
    log("serving on fd %d (child index %s)" % (lfd, INDEX))

    sig = signal.sigwait(STOP_SIGNALS)
    stopping.set()
    os.write(stop_w, b"x")
    while acceptor.is_alive():  # repeat: one wake-up may land just before accept4 starts
        try:
            signal.pthread_kill(acceptor.ident, WAKE)
        except OSError:
            pass  # it has just finished
        acceptor.join(0.05)
    drained = connections.join(time.monotonic() + DRAIN_TIMEOUT)
    log("got %s; stopped accepting, %s; exiting"
        % (signal.Signals(sig).name, "all connections closed" if drained else "gave up on slow clients"))
    os._exit(0)  # daemon threads still blocked on slow clients must not keep us alive


if __name__ == "__main__":
    main()
