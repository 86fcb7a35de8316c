#!/usr/bin/env bash
# searchd_writes.sh - searchd under wrk for a minute while the indexer adds,
# replaces and deletes documents in a loop on the database it serves: no 5xx
# answer, no other answer than 2xx, no socket error, every indexer run
# succeeds, and searchd's memory stays flat (VmRSS sampled every second: the
# median of the last 10 s against that of the 10 s after a 10 s warm-up,
# growth at most 20% or 8 MB, whichever is larger).
#   BUILD_DIR=build SOURCE_DIR=. tests/stress/searchd_writes.sh
#   STRESS_WRK_SECONDS (60), STRESS_WRK_CONNECTIONS (16)
# wrk is installed with apt-get when missing (as scripts/bench does); when it
# cannot be, the attack is reported as skipped.
set -u
source "$(dirname "${BASH_SOURCE[0]}")/../e2e/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

SECONDS_LOAD=${STRESS_WRK_SECONDS:-60}
CONNECTIONS=${STRESS_WRK_CONNECTIONS:-16}
ATTACK="searchd under wrk while the indexer writes (${SECONDS_LOAD} s)"
WARMUP=10
WINDOW=10

if ! command -v wrk >/dev/null; then
    (source "$SOURCE_DIR/scripts/lib.sh" && ensure_packages wrk) >&2 </dev/null
    if ! command -v wrk >/dev/null; then
        report "$ATTACK" ok "SKIPPED: wrk is not installed and apt-get could not install it"
        exit 0
    fi
fi

cd "$TMP" || exit 2
DB=$TMP/db
N=$("$PYTHON" "$STRESS_DIR/gen_corpus.py" corpus.jsonl 5) || exit 2
"$PYTHON" "$STRESS_DIR/gen_corpus.py" v1.jsonl 0.3 --variant 1 >/dev/null || exit 2
"$PYTHON" "$STRESS_DIR/gen_corpus.py" v2.jsonl 0.3 --variant 2 >/dev/null || exit 2
A=$("$PYTHON" "$STRESS_DIR/gen_corpus.py" adds.jsonl 0.3 --first 2000000) || exit 2
ADD_IDS=$(sed -n 's/^{"id": "\([^"]*\)".*/\1/p' adds.jsonl)
run "$INDEXER" -d "$DB" --no-progress corpus.jsonl
[ "$RC" == 0 ] || { report "$ATTACK" FAILED "cannot build the database: $ERR"; exit 1; }

# Queries drawn from the corpus's words: one, two and three words, Arabic,
# English and both, a phrase, a prefix, an OR, a field; URL-encoded; with
# completions, stored documents (those being replaced among them) and pages.
"$PYTHON" - "$STRESS_DIR" queries.txt "$N" <<'PY' || exit 2
import random, sys, urllib.parse
sys.path.insert(0, sys.argv[1])
import gen_corpus as g
rng = random.Random(7)
n = int(sys.argv[3])
ar = g.AR_WORDS + [w for w in g.AR_MARKED]
out = []
for i in range(5000):
    k = i % 8
    if k == 0: q = rng.choice(ar)
    elif k == 1: q = rng.choice(g.EN_WORDS)
    elif k == 2: q = rng.choice(ar) + " " + rng.choice(g.EN_WORDS)
    elif k == 3: q = '"%s %s"' % (rng.choice(g.EN_WORDS), rng.choice(g.EN_WORDS))
    elif k == 4: q = rng.choice(ar)[:3] + "*"
    elif k == 5: q = "%s OR %s" % (rng.choice(ar), rng.choice(g.EN_WORDS))
    elif k == 6: q = "allstress variant%d" % rng.randint(1, 2)
    else: q = "title:%s lang:%s" % (rng.choice(ar), rng.choice(["ar", "en"]))
    typed = q[:rng.randint(1, len(q))].strip() or "a"
    q = urllib.parse.quote(q)
    r = rng.random()
    if r < 0.15:  # completions of the word being typed
        out.append("/api/suggest?q=" + urllib.parse.quote(typed))
    elif r < 0.25:  # a stored document, often one the writer replaces meanwhile
        out.append("/api/doc/s-%d" % rng.randrange(min(100, n) if rng.random() < 0.5 else n))
    elif r < 0.3:
        out.append("/api/search?q=%s&page=2&size=20&sort=date&facets=1" % q)
    else:
        out.append("/api/search?q=" + q)
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PY

start_searchd --quiet

# The writer: add documents, replace others (two versions in turn), delete
# the added ones, until told to stop; one line per indexer run.
writer()
{
    local round=0
    while [ ! -e "$TMP/stop" ]; do
        "$INDEXER" -d "$DB" --no-progress adds.jsonl >/dev/null 2>>"$TMP/writer.err"
        echo "add $?"
        "$INDEXER" -d "$DB" --no-progress "v$((round % 2 + 1)).jsonl" >/dev/null 2>>"$TMP/writer.err"
        echo "replace $?"
        # shellcheck disable=SC2086 # one argument an id
        "$INDEXER" -d "$DB" --no-progress --delete $ADD_IDS >/dev/null 2>>"$TMP/writer.err"
        echo "delete $?"
        round=$((round + 1))
    done >"$TMP/writer.log"
}

# The sampler: "MS KB", milliseconds since it started and searchd's VmRSS,
# every second.
sampler()
{
    local t0 kb
    t0=$(date +%s%3N)
    while alive "$SEARCHD_PID"; do
        kb=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$SEARCHD_PID/status" 2>/dev/null)
        [ -n "$kb" ] && echo "$(($(date +%s%3N) - t0)) $kb"
        sleep 1
    done >"$TMP/rss"
}

writer &
WRITER_PID=$!
BG_PIDS+=("$WRITER_PID")
sampler &
SAMPLER_PID=$!
BG_PIDS+=("$SAMPLER_PID")
WRK_OUT=$(wrk -t 2 -c "$CONNECTIONS" -d "${SECONDS_LOAD}s" --timeout 5s \
    -s "$STRESS_DIR/writes.lua" "$BASE" -- "$TMP/queries.txt" 2 2>&1)
WRK_RC=$?
touch "$TMP/stop"
wait "$WRITER_PID"
kill "$SAMPLER_PID" 2>/dev/null
wait "$SAMPLER_PID" 2>/dev/null

problems=""
figures=$(sed -n 's/^figures: //p' <<<"$WRK_OUT")
fig() { awk -v k="$1" '{ for (i = 1; i < NF; i += 2) if ($i == k) print $(i + 1) }' <<<"$figures"; }
if [ "$WRK_RC" != 0 ] || [ -z "$figures" ]; then
    report "$ATTACK" FAILED "wrk failed ($WRK_RC): $(tr '\n' ' ' <<<"$WRK_OUT" | head -c 400)"
    exit 1
fi
rps=$(awk -v r="$(fig requests)" -v s="$(fig seconds)" 'BEGIN { printf "%.0f", r / s }')
p99=$(awk -v u="$(fig p99_us)" 'BEGIN { printf "%.1f", u / 1000 }')
non2xx=$(fig non2xx)
s5xx=$(fig status5xx)
socket=$(($(fig errors_connect) + $(fig errors_read) + $(fig errors_write) + $(fig errors_timeout)))
[ "$non2xx" == 0 ] || problems+=" $non2xx answers not 2xx ($s5xx of them 5xx);"
[ "$socket" == 0 ] || problems+=" $socket socket errors (connect $(fig errors_connect), read $(fig errors_read), write $(fig errors_write), timeout $(fig errors_timeout));"

runs=$(wc -l <"$TMP/writer.log")
failed_runs=$(grep -c -v ' 0$' "$TMP/writer.log")
[ "$runs" -gt 0 ] || problems+=" the writer ran no indexer;"
[ "$failed_runs" == 0 ] || problems+=" $failed_runs of $runs indexer runs failed: $(head -c 300 "$TMP/writer.err");"
alive "$SEARCHD_PID" || problems+=" searchd died: $(tail -n 5 "$TMP/searchd.err");"
docs=$(curl -s -m 5 "$BASE/healthz" | "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["documents"])' 2>&1)
[ "$docs" == "$N" ] || problems+=" searchd counts '$docs' documents at the end, expected $N;"

# RSS: the first window after the warm-up, and the last one.
last=$(tail -n 1 "$TMP/rss" | cut -d' ' -f1)
awk -v a=$((WARMUP * 1000)) -v b=$(((WARMUP + WINDOW) * 1000)) '$1 >= a && $1 < b { print $2 }' \
    "$TMP/rss" >"$TMP/rss.start"
awk -v a=$((${last:-0} - WINDOW * 1000)) '$1 >= a { print $2 }' "$TMP/rss" >"$TMP/rss.end"
rss_start=$(median <"$TMP/rss.start")
rss_end=$(median <"$TMP/rss.end")
if [ "$(wc -l <"$TMP/rss.start")" -lt 3 ] || [ "$(wc -l <"$TMP/rss.end")" -lt 3 ]; then
    problems+=" too few RSS samples ($(wc -l <"$TMP/rss") in ${last:-0} ms);"
else
    allowed=$((rss_start / 5 > 8192 ? rss_start / 5 : 8192))
    [ $((rss_end - rss_start)) -le "$allowed" ] ||
        problems+=" searchd's RSS grew from $((rss_start / 1024)) MB to $((rss_end / 1024)) MB;"
fi
note "RSS samples (ms kB): $(tr '\n' ' ' <"$TMP/rss")"

figure="$rps requests/s, p99 $p99 ms, non-2xx $non2xx (5xx $s5xx), socket errors $socket,"
figure+=" $runs indexer runs ($((runs / 3)) rounds of $A adds/replaces/deletes),"
figure+=" RSS $((rss_start / 1024)) -> $((rss_end / 1024)) MB"
if [ -z "$problems" ]; then
    report "$ATTACK" ok "$figure"
else
    report "$ATTACK" FAILED "$figure;$problems"
fi
exit "$STRESS_FAILED"
