#!/usr/bin/env python3
"""live_tool.py - helpers of the live HAProxy test (tests/scripts/lb-live.sh).

  live_tool.py serve ADDR PORT...
      listen on ADDR:PORT for each PORT; answer every connection with
      "ADDR\\n" and close.  Runs until killed.
  live_tool.py connect VIP PORT SRC N
      open N connections to VIP:PORT from source address SRC, one after the
      other; print the answer of each (or "ERR") on its own line.
  live_tool.py stat SOCKET BACKEND SERVER
      print the status (UP, DOWN, ...) of SERVER in BACKEND from the HAProxy
      stats socket.
Every network wait has a timeout.
"""
import socket
import sys
import threading


def serve(addr, ports):
    socks = []
    for p in ports:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, int(p)))
        s.listen(64)
        socks.append(s)

    def loop(s):
        while True:
            c, _ = s.accept()
            try:
                c.sendall((addr + "\n").encode())
            except OSError:
                pass
            c.close()

    ts = [threading.Thread(target=loop, args=(s,), daemon=True) for s in socks]
    for t in ts:
        t.start()
    print("ready", flush=True)
    for t in ts:
        t.join()


def connect(vip, port, src, n):
    for _ in range(int(n)):
        try:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.settimeout(3)
            s.bind((src, 0))
            s.connect((vip, int(port)))
            data = b""
            while not data.endswith(b"\n"):
                b = s.recv(64)
                if not b:
                    break
                data += b
            s.close()
            print(data.decode().strip() or "ERR")
        except OSError:
            print("ERR")


def stat(path, backend, server):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(3)
    s.connect(path)
    s.sendall(b"show stat\n")
    data = b""
    while True:
        b = s.recv(65536)
        if not b:
            break
        data += b
    for line in data.decode().split("\n"):
        f = line.split(",")
        if len(f) > 17 and f[0] == backend and f[1] == server:
            print(f[17])
            return
    print("MISSING")


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "serve":
        serve(sys.argv[2], sys.argv[3:])
    elif cmd == "connect":
        connect(*sys.argv[2:6])
    elif cmd == "stat":
        stat(*sys.argv[2:5])
    else:
        print(__doc__)
        sys.exit(2)
