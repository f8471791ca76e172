"""Opens sockets to public addresses, DNS and the host's loopback (where the test listens)."""

BASE = "blank"
EXPECT = "BLOCKED"
CELLS = [
    """
import socket
for host, port in [("1.1.1.1", 80), ("8.8.8.8", 53), ("127.0.0.1", @PORT@)]:
    try:
        socket.create_connection((host, port), timeout=2).close()
        print("LEAKED: connected to", host, port)
    except OSError as exc:
        print("BLOCKED:", host, port, type(exc).__name__)
try:
    socket.getaddrinfo("example.com", 80)
    print("LEAKED: DNS works")
except OSError as exc:
    print("BLOCKED: dns", type(exc).__name__)
try:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"x", ("127.0.0.1", @PORT@))
except OSError as exc:
    print("BLOCKED: udp", type(exc).__name__)
""",
]
