#!/usr/bin/env bash
# search_limits.sh - a query as costly as the syntax allows stays bounded:
# 64 prefixes that begin ~30,000 index words expand to FH_PREFIX_BUDGET of
# them (the answer says so), and searchd's --time-limit bounds the whole
# search (it took over 15 s here before either).
source "$(dirname "$0")/lib.sh"

# 4,000 documents over 64 two-letter stems, each with 480 endings: the
# query's 64 prefixes begin 480 index words each.
"$PYTHON" - "$TMP/docs.jsonl" >"$TMP/query.txt" <<'PY'
import random, sys
r = random.Random(7)
stems = [a + b for a in 'bcdfghjklmnprstvwz' for b in 'aeiou'][:64]
words = [s + '%03d' % k for s in stems for k in range(480)]
with open(sys.argv[1], 'w') as f:
    for d in range(4000):
        body = ' '.join(r.choice(words) for _ in range(60))
        f.write('{"id": "d%d", "title": "doc %d", "body": "%s"}\n' % (d, d, body))
print(' OR '.join(s + '*' for s in stems))
PY
DB=$TMP/db
"$INDEXER" -d "$DB" "$TMP/docs.jsonl" >/dev/null 2>&1 || fail "cannot index the generated documents"
query=$(cat "$TMP/query.txt")

# The budget: the most frequent 1,000 words are searched, and the answer says so.
assert_exit 0 "$SEARCH" -d "$DB" --format json --explain "$query"
assert_eq "True 1000" "$(json_eval '"%s %d" % (d.get("prefixes_limited"), sum(len(w["exact"]) for w in d["words"]))' <<<"$OUT")" \
    "prefixes past the budget flagged and bounded"
assert_contains "$(json_eval 'd["notes"]' <<<"$OUT")" "searched for the 1000 most frequent" "the note"
assert_exit 0 "$SEARCH" -d "$DB" "$query"
assert_contains "$OUT" "index words: searched for the 1000 most frequent" "the note in text"
# One prefix within the budget is searched whole.
assert_exit 0 "$SEARCH" -d "$DB" --format json ba*
assert_eq "None" "$(json_eval 'str(d.get("prefixes_limited"))' <<<"$OUT")" "one prefix is within the budget"

# searchd --time-limit 50: an answer (never an error) well within a generous
# bound, whatever the machine's load; facets, explanations and a second page too.
# every document holds one of the 1,000 words searched: the whole total
all=$("$SEARCH" -d "$DB" --format json "$query" | json_eval 'd["total"] if d["total_exact"] else -1')
start_searchd --time-limit 50 --cache-mb 0
encoded=$("$PYTHON" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$query")
for args in "" "&facets=1&explain=1" "&page=3&sort=date"; do
    took=$(curl -s -o "$TMP/answer.json" -w '%{http_code} %{time_total}' "$BASE/api/search?q=$encoded$args") ||
        fail "curl failed"
    assert_eq 200 "${took% *}" "status of the heavy query$args"
    awk -v t="${took#* }" 'BEGIN { exit !(t < 2.0) }' ||
        fail "the heavy query$args took ${took#* } s with --time-limit 50"
    # a full page, unless the time ran out first (a starved machine may
    # examine nothing in 50 ms), which the answer then says
    assert_eq "True" "$(json_eval 'str(len(d["hits"]) == 10 or (len(d["hits"]) < 10 and d["time_limited"] is True))' <"$TMP/answer.json")" \
        "hits of the heavy query$args"
    assert_eq "True" "$(json_eval "str(not d['total_exact'] or d['total'] == $all)" <"$TMP/answer.json")" \
        "a total called exact is the whole total ($all)$args"
done

# Heavy searches (prefixes) wait in a lane of their own that leaves a worker
# to the quick ones: a quick search sent while six heavy ones are in hand is
# answered before most of them, where one queue would answer it after them.
kill "$SEARCHD_PID" 2>/dev/null
wait_bg "$SEARCHD_PID"
start_searchd --threads 2 --time-limit 2000 --cache-mb 0
: >"$TMP/order"
pids=()
for i in 1 2 3 4 5 6; do
    (curl -s -o /dev/null "$BASE/api/search?q=$encoded&explain=1&facets=1&size=100&page=$i" &&
        echo heavy >>"$TMP/order") &
    pids+=($!)
done
sleep 0.3 # the heavy searches are queued by now (a late one only makes the check weaker)
curl -s -o "$TMP/quick.json" "$BASE/api/search?q=doc" || fail "the quick search failed"
echo quick >>"$TMP/order"
wait "${pids[@]}"
assert_eq "True" "$(json_eval 'str(d["total"] > 0)' <"$TMP/quick.json")" "the quick search's hits"
before=$(sed -n '/^quick$/q;p' "$TMP/order" | wc -l)
[ "$before" -le 2 ] || fail "$before heavy searches were answered before the quick one: $(tr '\n' ' ' <"$TMP/order")"
