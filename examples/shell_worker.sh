#!/bin/sh
# shell_worker.sh: a minimal POSIX-sh Einhorn worker. It acks (SPEC §4.4), then sleeps until USR2,
# TERM or INT and exits 0. It serves nothing; use it to try out einhorn's commands and upgrades:
#
#   bin/einhorn -n 3 -m manual -- examples/shell_worker.sh
#   bin/einhorn -n 3 -m manual -g -- examples/shell_worker.sh     # ack over EINHORN_SOCK_FD
#
# To ack, it writes {"command":"worker:ack","pid":PID} and a newline to EINHORN_SOCK_FD when
# einhorn passed one (-g), or else to the UNIX socket at EINHORN_SOCK_PATH, using python3 (present
# on a stock Debian), or socat or `nc -U` when python3 is missing.

ack_line=$(printf '{"command":"worker:ack","pid":%d}' $$)

ack() {
  case ${EINHORN_SOCK_FD:-} in
    [0-9])  # dash only takes one-digit fds in a redirection; python3 handles the rest below
      eval "printf '%s\n' \"\$ack_line\" >&$EINHORN_SOCK_FD; exec $EINHORN_SOCK_FD>&-"
      return ;;
    ?*)
      python3 -c 'import os, sys; os.write(int(sys.argv[2]), sys.argv[1].encode() + b"\n")' \
        "$ack_line" "$EINHORN_SOCK_FD"
      return ;;
  esac
  if [ -z "${EINHORN_SOCK_PATH:-}" ]; then
    echo "shell_worker: EINHORN_SOCK_PATH is not set; not acking" >&2
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import os, socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(os.environ["EINHORN_SOCK_PATH"])
s.sendall(sys.argv[1].encode() + b"\n"); s.close()' "$ack_line"
  elif command -v socat >/dev/null 2>&1; then
    printf '%s\n' "$ack_line" | socat - "UNIX-CONNECT:$EINHORN_SOCK_PATH"
  else
    printf '%s\n' "$ack_line" | nc -U -q 0 "$EINHORN_SOCK_PATH"
  fi
}

sleeper=
stop() {
  [ -n "$sleeper" ] && kill "$sleeper" 2>/dev/null
  echo "shell_worker[$$]: got $1, exiting" >&2
  exit 0
}
trap 'stop USR2' USR2
trap 'stop TERM' TERM
trap 'stop INT' INT

ack
echo "shell_worker[$$]: up (child index ${EINHORN_CHILD_INDEX:-?})" >&2
while :; do
  sleep 3600 &
  sleeper=$!
  wait "$sleeper"   # a trapped signal interrupts wait at once
done
