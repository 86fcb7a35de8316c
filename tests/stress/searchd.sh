#!/usr/bin/env bash
# searchd.sh - searchd under hostile clients at full size: half-closing
# clients while other connections stay open, URLs full of parameters many
# at once, and 300 slow clients sending a header byte a second for 30 s
# while another client's latency is measured.  One line per attack:
# attack<TAB>ok|FAILED<TAB>figure; exits 1 when an attack FAILED.
#   BUILD_DIR=build SOURCE_DIR=. tests/stress/searchd.sh
source "$(dirname "$0")/../e2e/lib.sh"

CLIENT=$SOURCE_DIR/tests/e2e/hostile_client.py
SLOW_SECONDS=${SLOW_SECONDS:-30}
failed=0

# report ATTACK OK FIGURE: OK is 1 or 0.
report()
{
    local outcome=ok
    [ "$2" == 1 ] || { outcome=FAILED; failed=1; }
    printf '%s\t%s\t%s\n' "$1" "$outcome" "$3"
}

# field SUMMARY EXPR: a Python expression over the JSON summary.
field()
{
    json_eval "$2" <<<"$1"
}

DB=$TMP/db
gen_jsonl "$TMP/gen.jsonl" 3000 gen
"$INDEXER" -d "$DB" "$SOURCE_DIR/tests/fixtures/news/news.jsonl" "$TMP/gen.jsonl" >/dev/null 2>&1 ||
    fail "cannot index the documents"
start_searchd --quiet --cache-mb 0 # every search searched
PORT=${BASE##*:}

# ---- half-closing clients, 48 other connections open (with its 8: 56 of
# the 64 connections one address may hold) ----
s=$("$PYTHON" "$CLIENT" halfclose "$PORT" --requests 2000 --hold 48 --threads 8)
ok=$(field "$s" 'int(d["ok"] == d["requests"] == 2000)')
alive "$SEARCHD_PID" || ok=0
report "half-close (2000 requests, 48 connections open)" "$ok" \
    "$(field "$s" '"%d/%d answered, p50 %.1f ms, p99 %.1f ms" % (d["ok"], d["requests"], d["p50_ms"], d["p99_ms"])')"

# ---- URLs full of parameters, 16 at once ----
s=$("$PYTHON" "$CLIENT" params "$PORT" --rounds 200 --threads 16)
ok=$(field "$s" 'int(d["json_errors"] == d["requests"] > 0)')
alive "$SEARCHD_PID" || ok=0
rss=$(awk '/VmHWM/ {print $2}' "/proc/$SEARCHD_PID/status" 2>/dev/null)
report "parameters (65 to 4084 a URL, 16 clients)" "$ok" \
    "$(field "$s" '"%d/%d JSON errors, URLs up to %d bytes" % (d["json_errors"], d["requests"], d["longest"])'), peak RSS ${rss:-?} kB"

# ---- 300 slow clients from 127.0.0.2, defaults (64 a client, 5 s deadline) ----
target="/api/search?q=everyword&size=10"
base=$("$PYTHON" "$CLIENT" slow "$PORT" --attackers 0 --seconds 5 --target "$target")
s=$("$PYTHON" "$CLIENT" slow "$PORT" --attackers 300 --seconds "$SLOW_SECONDS" --byte-every 1 \
    --target "$target" --refused-within 1)
ok=$(field "$s" 'int(d["legit_requests"] > 0 and d["legit_ok"] == d["legit_requests"] and
                    d["legit_p99_ms"] < 1000 and d["cut"] > 0 and d["cut_min_s"] >= 4.5 and
                    d["cut_max_s"] < 8)')
alive "$SEARCHD_PID" || ok=0
report "slow clients (300, a byte a second, ${SLOW_SECONDS} s)" "$ok" \
    "$(field "$s" '"other client p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d/%d answered)" % (d["legit_p50_ms"], d["legit_p99_ms"], d["legit_max_ms"], d["legit_ok"], d["legit_requests"])'); $(field "$base" '"without the attack p50 %.1f ms, p99 %.1f ms" % (d["legit_p50_ms"], d["legit_p99_ms"])'); $(field "$s" '"attackers: %d refused, %d cut after %.1f to %.1f s" % (d["refused"], d["cut"], d["cut_min_s"] or 0, d["cut_max_s"] or 0)')"

kill -TERM "$SEARCHD_PID"
wait_bg "$SEARCHD_PID"
[ "$BG_RC" == 0 ] || { echo "searchd exited $BG_RC after the attacks" >&2; failed=1; }
exit "$failed"
