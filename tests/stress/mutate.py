#!/usr/bin/env python3
"""mutate.py - mutated reader input for reader_fuzz.sh: JSONL, HTML and
Markdown (and plain text) made from the fixtures, broken in the ways real
files are: bytes flipped, cut anywhere (inside a UTF-8 sequence too), NULs,
invalid UTF-8, byte order marks, huge lines, deep nesting, unterminated
tags, comments and entities, broken JSON, and pieces of other files.

    mutate.py OUTDIR COUNT BATCH SEED FILE...

Writes COUNT files into OUTDIR/b000, OUTDIR/b001, ... (BATCH files a
folder), each named after its number and the mutations applied
(f00042-flip-nul.html), and prints how many bytes it wrote.  The same
arguments always give the same files.
"""
import json
import os
import random
import sys

INVALID_UTF8 = [b"\xff", b"\xfe", b"\x80", b"\xc0\x80", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80",
                b"\xf4\x90\x80\x80", b"\xf8\x88\x80\x80\x80", b"\xd8", b"\xd9\x85\xd9"]
BOMS = [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff"]
TAGS = [b"<b", b"<!--", b"<script>", b"<style>", b"<title>", b"<a href=\"", b"<![CDATA[",
        b"&#x", b"&#99999999999;", b"&amp", b"&#0;", b"&#xD800;", b"</", b"<p ", b"<!DOCTYPE",
        b"<?xml", b"<textarea>", b"<noscript>", b"<template>", b"<pre>", b"<meta charset=\"",
        b"<html><body>" * 3]
MD_BITS = [b"```", b"`", b"**", b"__", b"[", b"](", b"![", b"<!--", b"\\", b"#" * 7, b"> " * 40,
           b"* ", b"1. ", b"---\n", b"[x]: http://", b"<http://", b"~~~", b"    "]
WORDS = ["alpha", "beta", "الذكاء", "الاصطناعي", "Zuckerberg", "زوكربيرغ", "OpenAI", "٢٠٢٥"]


def huge(rng):
    """A line of 64 KB to 2 MB: one word repeated, or no space at all."""
    n = rng.choice([65536, 65536, 300000, 1 << 20, 2 << 20])
    unit = rng.choice([b"a", b"word ", "كلمة ".encode(), b"\xd8", b"<b>", b"x" * 99 + b" "])
    return unit * (n // len(unit))


def deep(rng, kind):
    n = rng.choice([100, 1000, 1000, 20000, 100000])
    if kind == "jsonl":
        return (b'{"id": "deep", "body": "deep", "x": ' + b"[" * n + b"]" * n + b"}\n",
                b'{"id": "deep2", "body": ' + b'{"a":' * n + b"1" + b"}" * n + b"}\n",
                b"[" * n + b"\n")[rng.randrange(3)]
    if kind == "html":
        tag = rng.choice([b"div", b"b", b"table", b"ul", b"span", b"p"])
        close = rng.random() < 0.5
        return b"<" + tag + b">" + (b"<" + tag + b">") * n + \
            ((b"</" + tag + b">") * n if close else b"")
    return rng.choice([b"> ", b"[", b"![", b"* ", b"  - ", b"`", b"*"]) * n + b"x\n"


def broken_json(rng):
    cases = [
        b'{"id": "", "body": "empty id"}',
        b'{"id": 42, "body": "a number"}',
        b'{"id": null, "body": "null"}',
        b'{"id": "dup", "id": "dup2", "body": "two ids"}',
        b'{"id": "nobody"}',
        b'{"body": "no id"}',
        b'{"id": "nul", "body": "a\\u0000b"}',
        b'{"id": "sur", "body": "\\ud800 lone surrogate \\udfff"}',
        b'{"id": "esc", "body": "\\x41 bad escape"}',
        b'{"id": "nl\\nid", "body": "newline in id"}',
        b'{"id": "' + b"i" * 5000 + b'", "body": "long id"}',
        b'{"id": "big", "body": "b", "date": "99999-99-99"}',
        b'{"id": "num", "body": 1e999999}',
        b'{"id": "arr", "body": ["a", "b"]}',
        b'{"id": "t", "title": {"x": 1}, "body": "obj title"}',
        b'{"id": "d", "body": "d", "date": "2024-02-30T25:61:61+99:99"}',
        b'{"id": "l", "body": "l", "lang": "' + b"z" * 300 + b'"}',
        b'{"id": "u", "body": "u", "url": "javascript:alert(1)"}',
        b'{"id": "trail", "body": "x"} trailing',
        b'{"id": "open", "body": "never closed',
        b"[]", b"{}", b"null", b"42", b'"str"', b"{", b"}", b",", b"",
    ]
    return rng.choice(cases) + b"\n"


def mutate(rng, data, kind, others):
    names = []
    for _ in range(rng.randint(1, 4)):
        # the heavy mutations (megabytes) seldom, so that a few thousand files stay small
        m = rng.choices(["flip", "cut", "nul", "utf8", "bom", "huge", "deep", "tag", "splice",
                         "dup", "eol", "json" if kind == "jsonl" else "md" if kind == "md" else "tag"],
                        [10, 8, 4, 10, 6, 0.4, 2, 8, 6, 2, 4, 10])[0]
        pos = rng.randint(0, len(data))
        if m == "flip" and data:
            b = bytearray(data)
            for _ in range(rng.randint(1, 20)):
                i = rng.randrange(len(b))
                b[i] ^= 1 << rng.randrange(8)
            data = bytes(b)
        elif m == "cut":
            data = data[:pos]
        elif m == "nul":
            data = data[:pos] + b"\x00" * rng.choice([1, 1, 2, 100]) + data[pos:]
        elif m == "utf8":
            for _ in range(rng.randint(1, 10)):
                p = rng.randint(0, len(data))
                data = data[:p] + rng.choice(INVALID_UTF8) + data[p:]
        elif m == "bom":
            data = rng.choice(BOMS) + data if rng.random() < 0.6 else \
                data[:pos] + rng.choice(BOMS) + data[pos:]
        elif m == "huge":
            data = data[:pos] + huge(rng) + data[pos:]
        elif m == "deep":
            data = data[:pos] + deep(rng, kind) + data[pos:]
        elif m == "tag":
            bits = b"".join(rng.choice(TAGS) for _ in range(rng.randint(1, 5)))
            data = data[:pos] + bits if rng.random() < 0.5 else data[:pos] + bits + data[pos:]
        elif m == "md":
            bits = b"".join(rng.choice(MD_BITS) for _ in range(rng.randint(1, 30)))
            data = data[:pos] + bits + data[pos:]
        elif m == "json":
            lines = data.split(b"\n")
            lines.insert(rng.randint(0, len(lines)), broken_json(rng).rstrip(b"\n"))
            data = b"\n".join(lines)
        elif m == "splice":
            other = rng.choice(others)
            a = rng.randint(0, len(other))
            data = data[:pos] + other[a:a + rng.randint(1, 4000)] + data[pos:]
        elif m == "dup" and data:
            a = rng.randrange(len(data))
            chunk = data[a:a + rng.randint(1, 200)]
            data = data[:pos] + chunk * rng.randint(2, 500) + data[pos:]
        elif m == "eol":
            data = data.replace(b"\n", rng.choice([b"\r\n", b"\r", b"\n\n\n", b"\x0b", b"\xe2\x80\xa8"]))
        names.append(m)
    return data, names


def as_kind(rng, kind, data):
    """Wrap a plain text seed as a file of another kind."""
    text = data.decode("utf-8", "replace")
    if kind == "jsonl":
        out = []
        for i, para in enumerate(p for p in text.split("\n") if p.strip()):
            out.append(json.dumps({"id": "p%d" % i, "title": para[:40], "body": para,
                                   "lang": rng.choice(["ar", "en", "xx"])}, ensure_ascii=rng.random() < 0.3))
        return ("\n".join(out) + "\n").encode()
    if kind == "html":
        body = "".join("<p>%s</p>\n" % p for p in text.split("\n") if p.strip())
        return ("<html><head><title>%s</title></head><body>%s</body></html>" % (text[:30], body)).encode()
    if kind == "md":
        return ("# %s\n\n%s" % (text[:30], text.replace("\n", "\n\n"))).encode()
    return data


def main():
    out, count, batch, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    rng = random.Random(seed)
    seeds = {"jsonl": [], "html": [], "md": [], "txt": []}
    for path in sys.argv[5:]:
        data = open(path, "rb").read()
        ext = path.rsplit(".", 1)[-1]
        ext = {"htm": "html", "markdown": "md"}.get(ext, ext)
        if ext in seeds:
            seeds[ext].append(data)
    plain = seeds["txt"] + seeds["md"]
    others = [d for v in seeds.values() for d in v]
    written = 0
    for i in range(count):
        kind = ["jsonl", "html", "md", "txt"][i % 4]
        if seeds[kind] and rng.random() < 0.6:
            data = rng.choice(seeds[kind])
        else:
            data = as_kind(rng, kind, rng.choice(plain))
        data, names = mutate(rng, data, kind, others)
        ext = kind if kind != "html" or rng.random() < 0.8 else "htm"
        d = os.path.join(out, "b%03d" % (i // batch))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "f%05d-%s.%s" % (i, "-".join(names), ext)), "wb") as f:
            f.write(data)
        written += len(data)
    print(written)


if __name__ == "__main__":
    main()
