#!/usr/bin/env python3
"""Tiny command-socket client for the benchmarks (no JVM start in the measurement loop).

  ehc.py SOCK cmd COMMAND [ARG...]     send one request, print the decoded final message
  ehc.py SOCK wait-acked N TIMEOUT [VERSION]
        poll `state json` until N workers of the current version (or VERSION) are acked and no
        upgrade runs; print the ms waited (from this call) and exit 0, or exit 1 on timeout
  ehc.py - wait-log FILE SUBSTRING TIMEOUT [COUNT]   wait until COUNT lines of FILE contain SUBSTRING
  ehc.py SOCK wait-socket TIMEOUT      wait until the command socket accepts; print ms waited
  ehc.py SOCK timed COMMAND [ARG...]   send with an id, read the stream to the final message;
        print "MS FINAL-MESSAGE" (ms from just before the send to the final reply)
  ehc.py SOCK summary                  print "ACKED_CURRENT TOTAL VERSION UPGRADING"
"""
import json, os, socket, sys, time


def decode(line):
    out, i = [], 0
    while i < len(line):
        if line.startswith("%25", i):
            out.append("%"); i += 3
        elif line.startswith("%0A", i):
            out.append("\n"); i += 3
        else:
            out.append(line[i]); i += 1
    return "".join(out)


def encode(obj):
    s = json.dumps(obj, separators=(",", ":"))
    return (s.replace("%", "%25").replace("\n", "%0A") + "\n").encode()


class Conn:
    def __init__(self, path, timeout=120):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(timeout)
        self.s.connect(path)
        self.buf = b""
        self.next_id = 1

    def send(self, command, args=None):
        req = {"id": self.next_id, "command": command}
        self.next_id += 1
        if args:
            req["args"] = list(args)
        self.s.sendall(encode(req))

    def reply(self):
        while b"\n" not in self.buf:
            chunk = self.s.recv(1 << 20)
            if not chunk:
                raise EOFError("master closed the connection")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(decode(line.decode()))

    def final(self, command, args=None):
        self.send(command, args)
        while True:
            r = self.reply()
            if not r.get("wait"):
                return r

    def close(self):
        self.s.close()


def summary(conn):
    st = json.loads(conn.final("state", ["json"])["message"])["state"]
    kids = st["children"].values()
    acked = sum(1 for c in kids if c["acked"] and not c["signaled"] and c["version"] == st["version"])
    return acked, len(st["children"]), st["version"], st["upgrading"]


def main():
    path, op = sys.argv[1], sys.argv[2]
    rest = sys.argv[3:]
    t0 = time.monotonic()
    if op == "wait-log":  # SOCK is ignored; rest = FILE SUBSTRING TIMEOUT [COUNT]
        path_, pat, deadline = rest[0], rest[1], t0 + float(rest[2])
        want = int(rest[3]) if len(rest) > 3 else 1
        seen, pos, tail = 0, 0, ""
        while time.monotonic() < deadline:
            try:
                with open(path_, "r", errors="replace") as f:
                    f.seek(pos); data = f.read(); pos = f.tell()
            except OSError:
                data = ""
            if data:
                lines = (tail + data).split("\n")
                tail = lines.pop()
                seen += sum(1 for l in lines if pat in l)
                if seen >= want:
                    print(round((time.monotonic() - t0) * 1000, 1)); return 0
            else:
                time.sleep(0.002)
        print(f"timeout ({seen} of {want} lines)", file=sys.stderr)
        return 1
    if op == "wait-socket":
        deadline = t0 + float(rest[0])
        while time.monotonic() < deadline:
            try:
                c = Conn(path, 5); c.close()
                print(round((time.monotonic() - t0) * 1000, 1)); return 0
            except OSError:
                time.sleep(0.005)
        return 1
    if op == "wait-acked":
        want, deadline = int(rest[0]), t0 + float(rest[1])
        conn = None
        while time.monotonic() < deadline:
            try:
                if conn is None:
                    conn = Conn(path, 30)
                acked, total, version, upgrading = summary(conn)
                if acked >= want and not upgrading and (len(rest) < 3 or version == int(rest[2])):
                    print(round((time.monotonic() - t0) * 1000, 1)); return 0
            except (OSError, EOFError, ValueError):
                if conn is not None:
                    conn.close()
                conn = None
            time.sleep(0.01)
        print("timeout", file=sys.stderr)
        return 1
    conn = Conn(path)
    if op == "cmd":
        r = conn.final(rest[0], rest[1:])
        print(r["message"])
        return 1 if r.get("error") else 0
    if op == "timed":
        t = time.monotonic()
        r = conn.final(rest[0], rest[1:])
        print(round((time.monotonic() - t) * 1000, 1), r["message"].replace("\n", " "))
        return 1 if r.get("error") else 0
    if op == "summary":
        a, n, v, u = summary(conn)
        print(a, n, v, str(u).lower())
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
