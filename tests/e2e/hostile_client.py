#!/usr/bin/env python3
"""hostile_client.py - HTTP clients that misbehave, over raw sockets, for
the searchd tests (searchd_hostile.sh, searchd_write.sh,
tests/stress/searchd.sh).

  request PORT TARGET [--half-close] [--hold N] [--timeout S]
      send GET TARGET (sent as given: %00 and all), after opening N other
      connections that stay open meanwhile; --half-close shuts down the
      sending side once the request is sent.  Prints the status (0: no
      answer) and the body on a second line.

  slow PORT --attackers N --seconds S [--bind ADDR] [--byte-every S]
           [--target PATH] [--legit-every S] [--refused-within S]
      N clients from ADDR each sending a request's headers one byte every
      S seconds, connecting again when cut off, while one client from
      127.0.0.1 asks TARGET again and again.  Prints a JSON summary: how
      the attackers' connections ended (refused: within S seconds, or cut
      after how long) and the other client's answers and latencies.

  halfclose PORT --requests N --hold M [--threads T]
      N requests over T threads, each client shutting down its sending
      side after its request, while M other connections stay open (opened
      again when the server closes them).  Prints a JSON summary.

  params PORT --rounds R [--threads T]
      R rounds of URLs with too many parameters (up to the longest URL,
      4096 bytes, made of them), over T threads.  Prints a JSON summary:
      how many were answered with a JSON error.

  post PORT TARGET [--key-file F] [--type T] [--body TEXT] [--length N]
           [--send N] [--byte-every S] [--timeout S]
      POST TARGET (with the key in file F as its bearer), declaring a
      Content-Length of N (default: the body's), sending the first N bytes
      of the body with the headers (default: all) and then one more byte
      every S seconds until the body is sent or the connection ends.
      Prints a JSON summary: the status (0: none), the seconds until the
      answer or the end of the connection, the Retry-After header, the body.

  writes PORT --key-file F --held N [--length L]
      N writes of one document each (padded with spaces to L bytes), their
      headers sent (with "Expect: 100-continue") and held, their bodies not
      yet sent, while one more write is sent whole; then the N bodies.  Prints a JSON summary: the
      status and Retry-After of the one more, and the statuses of the N.
"""
import argparse
import json
import select
import selectors
import socket
import sys
import threading
import time


def read_reply(sock, timeout):
    """(status, body) of the HTTP reply read until the end; status 0 when
    the connection ends without one."""
    status, _, body = read_answer(sock, timeout)
    return status, body


def get(port, target, timeout=10.0, half_close=False, source=None):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        if source:
            sock.bind((source, 0))
        sock.settimeout(timeout)
        sock.connect(("127.0.0.1", port))
        sock.sendall(b"GET " + target.encode("latin-1") + b" HTTP/1.1\r\nHost: localhost\r\n\r\n")
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        return read_reply(sock, timeout)
    except OSError:  # timeouts, resets, refusals
        return 0, b""
    finally:
        sock.close()


def read_answer(sock, timeout):
    """(status, headers, body) of the reply read until the end; status 0
    when the connection ends without one."""
    sock.settimeout(timeout)
    data = b""
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
            head, sep, body = data.partition(b"\r\n\r\n")
            if sep:
                length = None
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                if length is not None and len(body) >= length:
                    break
    except (socket.timeout, ConnectionError):
        pass
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep or not head.startswith(b"HTTP/"):
        return 0, {}, b""
    headers = {}
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower().decode("latin-1")] = value.strip().decode("latin-1")
    return int(head.split(b" ")[1]), headers, body


def post_head(target, key, ctype, length, *more):
    lines = ["POST %s HTTP/1.1" % target, "Host: localhost", "Content-Length: %d" % length]
    lines += more
    if key:
        lines.append("Authorization: Bearer " + key)
    if ctype:
        lines.append("Content-Type: " + ctype)
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def read_key(path):
    if not path:
        return None
    with open(path) as f:
        return f.read().strip()


def cmd_post(a):
    body = a.body.encode("utf-8")
    length = a.length if a.length is not None else len(body)
    sent = len(body) if a.send is None else a.send
    sock = socket.create_connection(("127.0.0.1", a.port))
    start = time.monotonic()
    status, headers, answer = 0, {}, b""
    try:
        sock.sendall(post_head(a.target, read_key(a.key_file), a.type, length) + body[:sent])
        while sent < len(body):
            readable, _, _ = select.select([sock], [], [], a.byte_every)
            if readable:
                break  # an answer, or the end
            sock.sendall(body[sent:sent + 1])
            sent += 1
        status, headers, answer = read_answer(sock, a.timeout)
    except OSError:
        pass
    finally:
        sock.close()
    json.dump({"status": status, "seconds": time.monotonic() - start,
               "retry_after": headers.get("retry-after"),
               "body": answer.decode("utf-8", "replace")}, sys.stdout)
    sys.stdout.write("\n")


def cmd_writes(a):
    key = read_key(a.key_file)
    doc = '[{"id": "held-%d", "body": "held"}]'
    held = []
    for i in range(a.held):
        body = (doc % i).encode()
        body += b" " * max(0, (a.length or 0) - len(body))
        s = socket.create_connection(("127.0.0.1", a.port))
        # taken when searchd asks for the body: its headers were judged
        s.sendall(post_head("/api/documents", key, "application/json", len(body),
                            "Expect: 100-continue"))
        s.settimeout(30.0)
        got = b""
        while b"\r\n\r\n" not in got:
            chunk = s.recv(4096)
            if not chunk:
                break
            got += chunk
        held.append((s, body, got.split(b" ")[1:2]))
    one = (doc % a.held).encode()
    s = socket.create_connection(("127.0.0.1", a.port))
    s.sendall(post_head("/api/documents", key, "application/json", len(one)) + one)
    more, headers, _ = read_answer(s, 30.0)
    s.close()
    statuses = []
    for s, body, interim in held:
        if interim == [b"100"]:
            s.sendall(body)
            statuses.append(read_answer(s, 30.0)[0])
        else:
            statuses.append(int(interim[0]) if interim else 0)
        s.close()
    json.dump({"more": more, "retry_after": headers.get("retry-after"), "held": statuses},
              sys.stdout)
    sys.stdout.write("\n")


def cmd_request(a):
    held = [socket.create_connection(("127.0.0.1", a.port)) for _ in range(a.hold)]
    status, body = get(a.port, a.target, a.timeout, a.half_close)
    for s in held:
        s.close()
    sys.stdout.write("%d\n%s\n" % (status, body.decode("utf-8", "replace")))


def percentile(values, p):
    if not values:
        return None
    v = sorted(values)
    return v[min(len(v) - 1, int(p / 100.0 * len(v)))]


class Attack:
    """Clients sending one header byte at a time, from one thread."""

    REQUEST = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: "

    def __init__(self, port, n, source, every, refused_within):
        self.port, self.n, self.source, self.every = port, n, source, every
        self.refused_within = refused_within
        self.sel = selectors.DefaultSelector()
        self.open = {}        # socket -> (connected at, bytes sent)
        self.refused = 0      # ended within refused_within seconds
        self.cut_after = []   # how long the others lasted, in seconds
        self.connect_failed = 0

    def connect(self):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind((self.source, 0))
        s.setblocking(False)
        try:
            s.connect_ex(("127.0.0.1", self.port))
        except OSError:
            self.connect_failed += 1
            s.close()
            return
        self.open[s] = [time.monotonic(), 0]
        self.sel.register(s, selectors.EVENT_READ)

    def ended(self, s):
        lasted = time.monotonic() - self.open.pop(s)[0]
        self.sel.unregister(s)
        s.close()
        if lasted < self.refused_within:
            self.refused += 1
        else:
            self.cut_after.append(lasted)

    def run(self, seconds):
        end = time.monotonic() + seconds
        next_byte = time.monotonic()
        while time.monotonic() < end:
            for key, _ in self.sel.select(timeout=0.05):
                s = key.fileobj
                try:
                    if s.recv(4096):
                        continue  # an answer (an error): wait for the end
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    pass
                self.ended(s)
            now = time.monotonic()
            if now >= next_byte:
                next_byte = now + self.every
                while len(self.open) < self.n:  # those cut off come back
                    self.connect()
                for s, state in list(self.open.items()):
                    sent = state[1]
                    data = self.REQUEST[sent:sent + 1] if sent < len(self.REQUEST) else b"x"
                    try:
                        s.send(data)
                        state[1] += 1
                    except (BlockingIOError, InterruptedError):
                        pass
                    except OSError:
                        self.ended(s)
        for s in list(self.open):
            self.sel.unregister(s)
            s.close()
        self.open.clear()


def cmd_slow(a):
    attack = Attack(a.port, a.attackers, a.bind, a.byte_every, a.refused_within)
    latencies, statuses = [], []
    stop = threading.Event()

    def legit():
        time.sleep(min(2.0, a.seconds / 4))  # the attackers in place first
        while not stop.is_set():
            t = time.monotonic()
            status, _ = get(a.port, a.target, timeout=30.0, source="127.0.0.1")
            latencies.append((time.monotonic() - t) * 1000.0)
            statuses.append(status)
            stop.wait(a.legit_every)

    t = threading.Thread(target=legit)
    t.start()
    attack.run(a.seconds)
    stop.set()
    t.join()
    json.dump({
        "attackers": a.attackers,
        "refused": attack.refused,
        "cut": len(attack.cut_after),
        "cut_min_s": min(attack.cut_after) if attack.cut_after else None,
        "cut_max_s": max(attack.cut_after) if attack.cut_after else None,
        "connect_failed": attack.connect_failed,
        "legit_requests": len(statuses),
        "legit_ok": sum(1 for s in statuses if s == 200),
        "legit_p50_ms": percentile(latencies, 50),
        "legit_p99_ms": percentile(latencies, 99),
        "legit_max_ms": max(latencies) if latencies else None,
    }, sys.stdout)
    sys.stdout.write("\n")


class Holder:
    """M idle connections kept open, in a thread of their own."""

    def __init__(self, port, m):
        self.port, self.m, self.stop = port, m, threading.Event()
        self.thread = threading.Thread(target=self.run)

    def run(self):
        sel = selectors.DefaultSelector()
        n = 0
        while not self.stop.is_set():
            while n < self.m:
                try:
                    sel.register(socket.create_connection(("127.0.0.1", self.port)),
                                 selectors.EVENT_READ)
                    n += 1
                except OSError:
                    break
            for key, _ in sel.select(timeout=0.1):
                sel.unregister(key.fileobj)
                key.fileobj.close()
                n -= 1
        for key in list(sel.get_map().values()):
            key.fileobj.close()


def run_threads(n, job):
    threads = [threading.Thread(target=job, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def cmd_halfclose(a):
    holder = Holder(a.port, a.hold)
    holder.thread.start()
    time.sleep(0.5)
    targets = ["/healthz", "/api/search?q=Zuckerberg", "/api/suggest?q=Zuck",
               "/api/doc/meta-tulloch-en", "/api/search?q=OpenAI&size=3&page=2"]
    latencies, statuses = [], []

    def job(k):
        for i in range(k, a.requests, a.threads):
            t = time.monotonic()
            status, _ = get(a.port, targets[i % len(targets)], timeout=30.0, half_close=True)
            latencies.append((time.monotonic() - t) * 1000.0)
            statuses.append(status)

    run_threads(a.threads, job)
    holder.stop.set()
    holder.thread.join()
    json.dump({"requests": len(statuses), "ok": sum(1 for s in statuses if s == 200),
               "p50_ms": percentile(latencies, 50), "p99_ms": percentile(latencies, 99)},
              sys.stdout)
    sys.stdout.write("\n")


def too_many_params():
    """Targets with too many parameters, the longest 4096 bytes."""
    out = []
    for n in (65, 100, 226, 500, 1000):
        out.append("/api/search?q=a" + "&p=1" * n)
    out.append("/api/search?" + "&" * 4084)
    out.append("/api/search?" + "a&" * 2042)
    out.append("/api/suggest?q=a" + "&a" * 2040)
    out.append("/api/doc/x?" + "a=&" * 1361)
    return out


def cmd_params(a):
    targets = too_many_params()
    results = []

    def job(k):
        for r in range(k, a.rounds, a.threads):
            for t in targets:
                status, body = get(a.port, t, timeout=30.0)
                try:
                    d = json.loads(body)
                    ok = status == 400 and isinstance(d.get("error"), str) and len(d) == 1
                except ValueError:
                    ok = False
                results.append(ok)

    run_threads(a.threads, job)
    json.dump({"requests": len(results), "json_errors": sum(results),
               "longest": max(len(t) for t in targets)}, sys.stdout)
    sys.stdout.write("\n")


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("request")
    r.add_argument("port", type=int)
    r.add_argument("target")
    r.add_argument("--half-close", action="store_true")
    r.add_argument("--hold", type=int, default=0)
    r.add_argument("--timeout", type=float, default=10.0)
    s = sub.add_parser("slow")
    s.add_argument("port", type=int)
    s.add_argument("--attackers", type=int, required=True)
    s.add_argument("--seconds", type=float, required=True)
    s.add_argument("--bind", default="127.0.0.2")
    s.add_argument("--byte-every", type=float, default=1.0)
    s.add_argument("--target", default="/healthz")
    s.add_argument("--legit-every", type=float, default=0.1)
    s.add_argument("--refused-within", type=float, default=0.5)
    h = sub.add_parser("halfclose")
    h.add_argument("port", type=int)
    h.add_argument("--requests", type=int, required=True)
    h.add_argument("--hold", type=int, default=0)
    h.add_argument("--threads", type=int, default=4)
    m = sub.add_parser("params")
    m.add_argument("port", type=int)
    m.add_argument("--rounds", type=int, required=True)
    m.add_argument("--threads", type=int, default=4)
    o = sub.add_parser("post")
    o.add_argument("port", type=int)
    o.add_argument("target")
    o.add_argument("--key-file")
    o.add_argument("--type", default="application/json")
    o.add_argument("--body", default="")
    o.add_argument("--length", type=int)
    o.add_argument("--send", type=int)
    o.add_argument("--byte-every", type=float, default=0.2)
    o.add_argument("--timeout", type=float, default=30.0)
    w = sub.add_parser("writes")
    w.add_argument("port", type=int)
    w.add_argument("--key-file", required=True)
    w.add_argument("--held", type=int, required=True)
    w.add_argument("--length", type=int)
    a = p.parse_args()
    {"request": cmd_request, "slow": cmd_slow, "halfclose": cmd_halfclose,
     "params": cmd_params, "post": cmd_post, "writes": cmd_writes}[a.cmd](a)


if __name__ == "__main__":
    main()
