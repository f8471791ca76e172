"""The launcher a grader's kernel manager starts instead of a kernel, in the warm path: it
asks its slot's warm parent (:mod:`course_lib.warm_kernel`) for one fresh kernel, hands it
this process's stdout and stderr, and lives exactly as long as that kernel (killing this
process kills the kernel). Standard library only, run as ``python -I -S warm_stub.py
CONTROL_SOCKET CONNECTION_FILE``: it starts in milliseconds.
"""

import json
import os
import signal
import socket
import sys


def main(control: str, connection_file: str) -> int:
    # The kernel manager interrupts before it kills: leave quietly (the kernel goes too).
    signal.signal(signal.SIGINT, lambda *_: os._exit(130))
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(control)
    request = {"connection_file": connection_file, "env": dict(os.environ), "cwd": os.getcwd()}
    socket.send_fds(conn, [json.dumps(request).encode() + b"\n"], [1, 2])
    reply = b""
    while not reply.endswith(b"\n"):
        chunk = conn.recv(4096)
        if not chunk:
            return 1
        reply += chunk
    status = json.loads(reply)["status"]
    return os.waitstatus_to_exitcode(status) & 0xFF if status >= 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
