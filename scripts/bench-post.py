#!/usr/bin/env python3
"""bench-post.py - for scripts/bench: post documents to searchd at a steady
rate, while wrk measures its searches, then delete them again.

  bench-post.py URL KEY_FILE CORPUS SECONDS [--rate N] [--batch N] [--in-flight N]

Posts N documents a second (--rate, default 100), --batch of them a call
(default 10), for SECONDS: the documents of the JSONL CORPUS in turn, under
ids of their own ("bench-post-K"), so the database only gains documents.
Calls leave on their schedule whether or not the calls before them have been
answered, as a site's workers publish articles as they come, at most
--in-flight of them at once (default 8; a call due when all are out waits,
and the rate posted falls short).  When the time is up it deletes them, and
prints one line of figures:

  figures: posted N seconds S calls C failed F p50_ms X p99_ms Y
"""
import argparse
import json
import sys
import threading
import time
import urllib.error
import urllib.request


def call(url, key, path, body):
    req = urllib.request.Request(url + path, json.dumps(body).encode("utf-8"),
                                 headers={"Authorization": "Bearer " + key,
                                          "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return 0


def documents(corpus, n):
    """n documents of the corpus (its first ones, again if it has fewer)."""
    docs = []
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                docs.append(json.loads(line))
            if len(docs) >= n:
                break
    if not docs:
        sys.exit("no documents in " + corpus)
    return [dict(docs[i % len(docs)]) for i in range(n)]


def percentile(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(p / 100.0 * len(v)))] if v else 0.0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("key_file")
    p.add_argument("corpus")
    p.add_argument("seconds", type=float)
    p.add_argument("--rate", type=float, default=100.0)
    p.add_argument("--batch", type=int, default=10)
    p.add_argument("--in-flight", type=int, default=8)
    a = p.parse_args()
    url = a.url.rstrip("/")
    with open(a.key_file) as f:
        key = f.read().strip()
    pool = documents(a.corpus, int(a.rate * a.seconds) + a.batch)
    slots = threading.BoundedSemaphore(a.in_flight)
    lock = threading.Lock()
    results = []  # (documents, status, ms) of each call

    def post(batch):
        t = time.monotonic()
        status = call(url, key, "/api/documents", batch)
        with lock:
            results.append((len(batch), status, (time.monotonic() - t) * 1000.0))
        slots.release()

    start = time.monotonic()
    sent, threads = 0, []
    while time.monotonic() - start < a.seconds and sent + a.batch <= len(pool):
        time.sleep(max(0.0, start + sent / a.rate - time.monotonic()))
        batch = pool[sent:sent + a.batch]
        for k, d in enumerate(batch):
            d["id"] = "bench-post-%d" % (sent + k)
        slots.acquire()
        th = threading.Thread(target=post, args=(batch,))
        th.start()
        threads.append(th)
        sent += len(batch)
    for th in threads:
        th.join()
    posted = sum(n for n, status, _ in results if status == 200)
    failed = sum(1 for _, status, _ in results if status != 200)
    calls, latencies = len(results), [ms for _, _, ms in results]
    seconds = time.monotonic() - start
    ids = ["bench-post-%d" % i for i in range(sent)]
    for i in range(0, len(ids), 1000):
        if call(url, key, "/api/documents/delete", ids[i:i + 1000]) != 200:
            sys.exit("cannot delete the documents posted")
    print("figures: posted %d seconds %.3f calls %d failed %d p50_ms %.2f p99_ms %.2f"
          % (posted, seconds, calls, failed, percentile(latencies, 50),
             percentile(latencies, 99)))


if __name__ == "__main__":
    main()
