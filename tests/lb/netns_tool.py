#!/usr/bin/env python3
"""netns_tool.py - helpers of tests/scripts/lb-netns.sh (HAProxy in
network namespaces: does a member see the client's address or HAProxy's?).

  netns_tool.py serve READY-FILE ADDR:PORT...
      listen on each TCP ADDR:PORT and on UDP ADDR:3478 for each ADDR;
      answer every TCP connection (and every UDP datagram) with
      "ADDR PEER\\n" - the member's own address and the source address it
      sees - then close.  Writes READY-FILE once every socket is bound.
      Runs until killed.
  netns_tool.py tcp SRC VIP PORT
      connect from SRC to VIP:PORT and print the answer line, or "ERR"
      (live_tool.py connect).
  netns_tool.py udp SRC VIP PORT
      send one datagram from SRC to VIP:PORT and print the answer line, or
      "NONE" when nothing answers within 1.5 s.
Every network wait has a timeout.
"""
import os
import socket
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import live_tool  # noqa: E402  tests/lb/live_tool.py


def serve(ready, targets):
    socks = []
    addrs = []
    for t in targets:
        addr, port = t.rsplit(":", 1)
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, int(port)))
        s.listen(64)
        socks.append((s, addr))
        if addr not in addrs:
            addrs.append(addr)
    udps = []
    for addr in addrs:
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind((addr, 3478))
        udps.append((u, addr))

    def tcp_loop(s, addr):
        while True:
            c, peer = s.accept()
            try:
                c.settimeout(5)
                c.sendall(("%s %s\n" % (addr, peer[0])).encode())
            except OSError:
                pass
            c.close()

    def udp_loop(u, addr):
        while True:
            _, peer = u.recvfrom(2048)
            try:
                u.sendto(("%s %s\n" % (addr, peer[0])).encode(), peer)
            except OSError:
                pass

    for s, addr in socks:
        threading.Thread(target=tcp_loop, args=(s, addr), daemon=True).start()
    for u, addr in udps:
        threading.Thread(target=udp_loop, args=(u, addr), daemon=True).start()
    with open(ready, "w") as f:
        f.write("ready\n")
    threading.Event().wait()


def tcp(src, vip, port):
    live_tool.connect(vip, port, src, 1)   # one connection: its answer or ERR


def udp(src, vip, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(1.5)
    try:
        s.bind((src, 0))
        s.sendto(b"probe", (vip, int(port)))
        print(s.recvfrom(256)[0].decode().strip())
    except socket.timeout:
        print("NONE")
    except OSError as e:
        print("NONE (%s)" % e)
    finally:
        s.close()


def main(argv):
    if len(argv) >= 4 and argv[1] == "serve":
        serve(argv[2], argv[3:])
    elif len(argv) == 5 and argv[1] == "tcp":
        tcp(argv[2], argv[3], argv[4])
    elif len(argv) == 5 and argv[1] == "udp":
        udp(argv[2], argv[3], argv[4])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
