#!/bin/bash
# search_cluster.sh - a sharded database served by three xapian-tcpsrv
# processes searches exactly as one database of the same documents: the
# same ranked ids and scores (ties may swap), suggestions and facet counts
# for over a hundred queries, names across scripts included; deletion reaches the right shard, in the
# local shards or through writable shard servers; a shard
# server down is an error naming it, or with --allow-partial an answer from
# the others that says which is missing (on stderr for ids, TSV and
# counts); a server that stops answering
# costs a timeout, never a hang; searchd serves the cluster the same ways.
. "$(dirname "$0")/lib.sh"

command -v xapian-tcpsrv >/dev/null || fail "xapian-tcpsrv is missing (Debian package xapian-tools)"

# ---- a corpus large enough for BM25 statistics to differ between shards ----
# Documents made of a sentence or two of the corpus articles among filler
# words (so that names stay rare enough to be names), drawn with a fixed
# seed, with sources and dates for the filters.
"$PYTHON" - "$SOURCE_DIR" >"$TMP/docs.jsonl" <<'EOF'
import glob, json, random, re, sys
src = sys.argv[1]
sentences = []
for path in sorted(glob.glob(src + "/corpus/*.txt")):
    text = open(path, encoding="utf-8").read()
    sentences += [s.strip() for s in re.split(r"[.!?؟\n]+", text) if len(s.split()) >= 4]
for line in open(src + "/tests/fixtures/news/news.jsonl", encoding="utf-8"):
    sentences += [s.strip() for s in re.split(r"[.!?؟]+", json.loads(line)["body"])
                  if len(s.split()) >= 4]
rnd = random.Random(20251206)
sources = ["Reuters", "BBC Arabic", "Al Jazeera", "CNN"]
for i in range(1500):
    filler = " ".join("w%d" % int(rnd.paretovariate(1.2)) for _ in range(rnd.randint(20, 60)))
    body = ". ".join(rnd.choice(sentences) for _ in range(rnd.randint(1, 2))) + ". " + filler
    print(json.dumps({"id": "doc-%d" % i, "title": rnd.choice(sentences)[:80], "body": body,
                      "source": sources[i % 4], "date": "2025-%02d-%02d" % (i % 12 + 1, i % 28 + 1)},
                     ensure_ascii=False))
EOF

assert_exit 0 "$INDEXER" -d "$TMP/one" --no-progress "$TMP/docs.jsonl" "$SOURCE_DIR/corpus"
assert_exit 0 "$INDEXER" -d "$TMP/sh" --shards 3 --no-progress "$TMP/docs.jsonl" "$SOURCE_DIR/corpus"
for k in 0 1 2; do
    [ -d "$TMP/sh.shards/$k" ] || fail "shard $k was not made"
done
[ -d "$TMP/sh.shards/names" ] || fail "no names database for remote clients"
# every document is in exactly one shard
total=0
for k in 0 1 2; do
    n=$(xapian-delve "$TMP/sh.shards/$k" | sed -n 's/^number of documents = //p')
    [ "${n:-0}" -gt 100 ] || fail "shard $k holds ${n:-no} documents"
    total=$((total + n))
done
assert_eq 1505 "$total" "documents over the shards"
# the number of shards is fixed; --shards makes only new databases
assert_exit 2 "$INDEXER" -d "$TMP/sh" --shards 2 "$SOURCE_DIR/corpus"
assert_contains "$ERR" "has 3 shards, not 2"
assert_exit 2 "$INDEXER" -d "$TMP/one" --shards 3 "$SOURCE_DIR/corpus"
assert_contains "$ERR" "--shards makes a new database"

# ---- three shard servers on free loopback ports ----
free_port()
{
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

PORTS=()
SERVER_PIDS=()
start_shard()
{
    local k=$1 i
    # its own session: stopping, xapian-tcpsrv signals its whole process group
    start_bg "$TMP/tcpsrv$k" setsid xapian-tcpsrv --interface 127.0.0.1 --port "${PORTS[$k]}" \
        "$TMP/sh.shards/$k"
    SERVER_PIDS[$k]=$BG_PID
    for ((i = 0; i < 200; i++)); do
        grep -q Listening "$TMP/tcpsrv$k.out" 2>/dev/null && return 0
        alive "$BG_PID" || fail "xapian-tcpsrv for shard $k did not start: $(cat "$TMP/tcpsrv$k.err")"
        sleep 0.05
    done
    fail "xapian-tcpsrv for shard $k is not listening"
}
for k in 0 1 2; do
    PORTS[$k]=$(free_port)
    start_shard "$k"
done
{
    for k in 0 1 2; do echo "remote 127.0.0.1:${PORTS[$k]}"; done
    echo "#fihris names sh.shards/names"
} >"$TMP/cluster"

# ---- the same ranking over one database, local shards and remote shards ----
"$PYTHON" - "$TMP/docs.jsonl" >"$TMP/queries" <<'EOF'
import json, random, re, sys
rnd = random.Random(7)
docs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
words = [w for d in docs[:300] for w in re.findall(r"\w{3,}", d["body"]) if not w.startswith("w")]
queries = ["Zuckerberg", "زوكربيرغ", "زوكربيرج", "Tulloch", "تولوش", "تولوخ", "غوغل", "جوجل",
           "Meta", "OpenAI", "ميتا OR جوجل", "Scale AI", "الذكاء الاصطناعي", "Zuckerberg -Meta",
           "lang:en Meta", "source:Reuters ميتا", "date:2025-03 الذكاء", "zuck*", "\"Scale AI\""]
# misspellings, for the suggestions ("did you mean") drawn from the shards
for w in rnd.sample(sorted(set(w for w in words if len(w) > 5)), 12):
    i = rnd.randrange(1, len(w) - 1)
    queries.append(w[:i] + w[i + 1:])
while len(queries) < 130:
    k = rnd.choice([1, 1, 2, 2, 3])
    if rnd.random() < 0.3:
        d = rnd.choice(docs)["body"].split()
        i = rnd.randrange(max(1, len(d) - k))
        queries.append("\"" + " ".join(d[i:i + k]) + "\"" if k > 1 else d[i])
    else:
        queries.append(" ".join(rnd.choice(words) for _ in range(k)))
print("\n".join(queries))
EOF
[ "$(wc -l <"$TMP/queries")" -ge 100 ] || fail "too few queries"

search_all()
{
    "$SEARCH" -d "$1" --batch "$TMP/queries" --format json -n 20 --facets "${@:2}" 2>"$TMP/batch.err"
}
search_all "$TMP/one" >"$TMP/one.json" || [ $? == 1 ] || fail "search over one database: $(cat "$TMP/batch.err")"

# Equal when, rank by rank, the scores agree and the same ids hold each score
# (ties may swap), but for a tie cut by the page's end.
same_ranking()
{
    "$PYTHON" - "$1" "$2" <<'EOF'
import json, sys
def load(p):
    return [json.loads(l) for l in open(p, encoding="utf-8")]
a, b = load(sys.argv[1]), load(sys.argv[2])
if len(a) != len(b):
    sys.exit("%d answers against %d" % (len(a), len(b)))
matched = suggested = 0
for x, y in zip(a, b):
    for field in ("suggestion", "fallback", "facets"):
        if x.get(field) != y.get(field):
            sys.exit("%s: %s %s against %s" % (x["query"], field, x.get(field), y.get(field)))
    suggested += x.get("suggestion") is not None
    hx = [(round(h["score"], 9), h["id"]) for h in x["hits"]]
    hy = [(round(h["score"], 9), h["id"]) for h in y["hits"]]
    matched += len(hx) > 0
    # totals past the exactly counted ones are estimates, made per shard
    if x["total_exact"] and y["total_exact"] and x["total"] != y["total"]:
        sys.exit("%s: %d matches against %d" % (x["query"], x["total"], y["total"]))
    if [s for s, _ in hx] != [s for s, _ in hy]:
        r = next(i for i in range(min(len(hx), len(hy))) if hx[i][0] != hy[i][0])
        sys.exit("%s: at rank %d %s against %s" % (x["query"], r + 1, hx[r], hy[r]))
    cut = hx[-1][0] if len(hx) == 20 else None
    if sorted(h for h in hx if h[0] != cut) != sorted(h for h in hy if h[0] != cut):
        sys.exit("%s: ids %s against %s" % (x["query"], hx[:5], hy[:5]))
    # each document's stored fields come from the shard that holds it
    shown = lambda hits: {h["id"]: (h["title"], h["snippet"]) for h in hits}
    sx, sy = shown(x["hits"]), shown(y["hits"])
    for i in set(sx) & set(sy):
        if sx[i] != sy[i] or not sx[i][0]:
            sys.exit("%s: %s shows %s against %s" % (x["query"], i, sx[i], sy[i]))
if matched < 100 or suggested < 3:
    sys.exit("only %d queries matched anything, %d had suggestions" % (matched, suggested))
EOF
}

search_all "$TMP/sh" >"$TMP/local.json" || [ $? == 1 ] || fail "search over local shards: $(cat "$TMP/batch.err")"
out=$(same_ranking "$TMP/one.json" "$TMP/local.json" 2>&1) || fail "local shards rank otherwise: $out"
search_all "$TMP/cluster" >"$TMP/remote.json" || [ $? == 1 ] || fail "search over remote shards: $(cat "$TMP/batch.err")"
out=$(same_ranking "$TMP/one.json" "$TMP/remote.json" 2>&1) || fail "remote shards rank otherwise: $out"

# names across scripts come from the names database through remote shards
assert_exit 0 "$SEARCH" -d "$TMP/cluster" --format ids -n 1000 Zuckerberg
with_names=$(wc -l <<<"$OUT")
assert_exit 0 "$SEARCH" -d "$TMP/cluster" --format ids -n 1000 --no-names Zuckerberg
[ "$with_names" -gt "$(wc -l <<<"$OUT")" ] || fail "Zuckerberg finds no other spelling over remote shards"

# ---- deletion reaches the shard holding the document ----
victim=$("$SEARCH" -d "$TMP/cluster" --format ids -n 1 "Tulloch")
[ -n "$victim" ] || fail "nothing to delete"
assert_exit 0 "$INDEXER" -d "$TMP/sh" --delete "$victim"
assert_contains "$OUT$ERR" "1 deleted"
assert_exit 0 "$INDEXER" -d "$TMP/one" --delete "$victim"
assert_exit 0 "$SEARCH" -d "$TMP/cluster" --format ids -n 1000 "Tulloch"
grep -qxF "$victim" <<<"$OUT" && fail "a deleted document is still found over remote shards"
assert_exit 0 "$SEARCH" -d "$TMP/one" --format ids -n 1000 "Tulloch"
one_ids=$OUT
assert_exit 0 "$SEARCH" -d "$TMP/cluster" --format ids -n 1000 "Tulloch"
assert_eq "$(sort <<<"$one_ids")" "$(sort <<<"$OUT")" "matches after deleting"

# through the cluster description: its servers must accept writes
assert_exit 2 "$INDEXER" -d "$TMP/cluster" --delete doc-1
assert_contains "$ERR" "is read-only"
WPORTS=()
WRITERS=()
for k in 0 1 2; do
    WPORTS[$k]=$(free_port)
    start_bg "$TMP/writer$k" setsid xapian-tcpsrv --writable --interface 127.0.0.1 \
        --port "${WPORTS[$k]}" "$TMP/sh.shards/$k"
    WRITERS[$k]=$BG_PID
done
for k in 0 1 2; do
    for ((i = 0; i < 200; i++)); do
        grep -q Listening "$TMP/writer$k.out" 2>/dev/null && break
        sleep 0.05
    done
    echo "remote 127.0.0.1:${WPORTS[$k]}"
done >"$TMP/cluster-w"
victim=$("$SEARCH" -d "$TMP/cluster" --format ids -n 1 "Zuckerberg")
assert_exit 0 "$INDEXER" -d "$TMP/cluster-w" --delete "$victim"
assert_contains "$OUT$ERR" "1 deleted"
assert_exit 0 "$INDEXER" -d "$TMP/one" --delete "$victim"
for k in 0 1 2; do
    kill "${WRITERS[$k]}"
    wait_bg "${WRITERS[$k]}"
done
run "$SEARCH" -d "$TMP/cluster" --format ids -n 1000 "Zuckerberg"
grep -qxF "$victim" <<<"$OUT" && fail "a document deleted through writable servers is still found"

# ---- a shard server down ----
kill "${SERVER_PIDS[1]}"
wait_bg "${SERVER_PIDS[1]}"
down="remote 127.0.0.1:${PORTS[1]}"
assert_exit 2 "$SEARCH" -d "$TMP/cluster" Meta
assert_contains "$ERR" "$down" "the error names the shard that is down"
assert_exit 0 "$SEARCH" -d "$TMP/cluster" --allow-partial --format json -n 1000 Meta
assert_eq "[\"$down\"]" "$(json_eval 'd["missing_shards"]' <<<"$OUT")" "missing_shards"
partial_ids=$(json_eval '"\n".join(h["id"] for h in d["hits"])' <<<"$OUT")
[ -n "$partial_ids" ] || fail "a partial search found nothing"
assert_exit 0 "$SEARCH" -d "$TMP/sh.shards/1" --format ids -n 1000 Meta
shown=$(comm -12 <(sort <<<"$partial_ids") <(sort <<<"$OUT"))
assert_eq "" "$shown" "documents of the missing shard shown"
assert_exit 0 "$SEARCH" -d "$TMP/cluster" --allow-partial Meta
assert_contains "$OUT" "Partial results: shard $down is unavailable."
# The outputs with no place for it say on stderr which shards are missing
# (a batch once, not for every query); JSON counts in missing_shards.
assert_exit 0 "$SEARCH" -d "$TMP/cluster" --allow-partial --format ids -n 1000 Meta
assert_eq "$(sort <<<"$partial_ids")" "$(sort <<<"$OUT")" "ids of a partial search"
assert_eq "search: partial results: shard $down is unavailable" "$ERR" "ids say which shard is missing"
for args in "--format tsv" "--count-only" "--count-only --format tsv"; do
    # shellcheck disable=SC2086 # the options are words
    assert_exit 0 "$SEARCH" -d "$TMP/cluster" --allow-partial $args Meta
    assert_eq "search: partial results: shard $down is unavailable" "$ERR" "$args say which shard is missing"
done
assert_exit 0 "$SEARCH" -d "$TMP/cluster" --allow-partial --format ids --batch - < <(printf '%s\n' Meta OpenAI Zuckerberg)
assert_eq "search: partial results: shard $down is unavailable" "$ERR" "a batch says it once"
assert_exit 0 "$SEARCH" -d "$TMP/cluster" --allow-partial --count-only --format json Meta
assert_eq "[\"$down\"]" "$(json_eval 'd["missing_shards"]' <<<"$OUT")" "missing_shards of a count"
assert_eq "$(wc -l <<<"$partial_ids")" "$(json_eval 'd["count"]' <<<"$OUT")" "the count of a partial search"

# the server back: the same answers as one database (without the deleted
# document) again
start_shard 1
search_all "$TMP/cluster" >"$TMP/back.json" || [ $? == 1 ] || fail "search after restart: $(cat "$TMP/batch.err")"
search_all "$TMP/one" >"$TMP/one2.json" || [ $? == 1 ] || fail "search over one database"
out=$(same_ranking "$TMP/one2.json" "$TMP/back.json" 2>&1) || fail "after restart: $out"

# ---- a shard server that stops answering: a timeout, not a hang ----
kill -STOP "${SERVER_PIDS[2]}"
silent="remote 127.0.0.1:${PORTS[2]}"
run timeout 30 "$SEARCH" -d "$TMP/cluster" --allow-partial --shard-timeout 300 --format json Meta
[ "$RC" != 124 ] || fail "a silent shard server made search hang"
assert_eq 0 "$RC" "exit status with a silent shard left out"
assert_eq "[\"$silent\"]" "$(json_eval 'd["missing_shards"]' <<<"$OUT")" "the silent shard left out"
run timeout 30 "$SEARCH" -d "$TMP/cluster" --shard-timeout 300 Meta
assert_eq 2 "$RC" "exit status when a shard server is silent"
assert_contains "$ERR" "$silent"
kill -CONT "${SERVER_PIDS[2]}"

# ---- searchd over the cluster, a shard down ----
# /healthz is ok while every shard answers, and 503 once one is down, even
# when searches go on without it; which one is for the log only.
DB=$TMP/cluster
start_searchd --allow-partial --shard-timeout 2000
code=$(curl -s -o "$TMP/body" -w '%{http_code}' "$BASE/healthz")
assert_eq "200 ok" "$code $(json_eval 'd["status"]' <"$TMP/body")" "healthz with every shard up"
kill "${SERVER_PIDS[1]}"
wait_bg "${SERVER_PIDS[1]}"
body=$(curl -s "$BASE/api/search?q=Meta")
assert_eq "[\"$down\"]" "$(json_eval 'd["missing_shards"]' <<<"$body")" "searchd missing_shards"
code=$(curl -s -o "$TMP/body" -w '%{http_code}' "$BASE/healthz")
assert_eq "503 unavailable" "$code $(json_eval 'd["status"]' <"$TMP/body")" \
    "healthz with a shard down, --allow-partial"
assert_contains "$(json_eval 'd["error"]' <"$TMP/body")" "shard" "healthz says a shard is missing"
assert_not_contains "$(cat "$TMP/body")" "127.0.0.1" "but not where it is"
grep -q " GET /healthz 503 .*$down" "$TMP/searchd.err" ||
    fail "the log line of /healthz names the shard down: $(cat "$TMP/searchd.err")"
kill "$SEARCHD_PID"
wait_bg "$SEARCHD_PID"
start_searchd --shard-timeout 2000
code=$(curl -s -o "$TMP/body" -w '%{http_code}' "$BASE/api/search?q=Meta")
assert_eq 503 "$code" "searchd without --allow-partial and a shard down"
assert_not_contains "$(cat "$TMP/body")" "127.0.0.1" "the client is not told where the shards are"
assert_contains "$(cat "$TMP/searchd.err")" "$down" "the operator's log names the shard"
code=$(curl -s -o "$TMP/body" -w '%{http_code}' "$BASE/healthz")
assert_eq 503 "$code" "healthz with a shard down"
kill "$SEARCHD_PID"
wait_bg "$SEARCHD_PID"

echo "ok"
