#!/usr/bin/env bash
# indexer_memory.sh - the indexer's memory stays within the bound README.md
# gives (64 MB + N x (256 MB + 8 x the largest document), N writers) for
# the documents that cost it most, a JSONL line and an HTML page of words
# that are all different; the words past the limit on a document's terms
# are left out with a warning naming the document.
set -u
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$TMP" || fail "cd $TMP"
[ -x /usr/bin/time ] || { echo "SKIP: GNU time (/usr/bin/time) is not installed"; exit 77; }

MB=10
mkdir docs
"$PYTHON" - "$MB" <<'PY' || fail "cannot generate the documents"
import json, sys
size = int(sys.argv[1]) * 1000 * 1000
def distinct(first, size):
    words, n, i = [], 0, first
    while n < size:
        w, x = "", i
        while True:
            w, x = "abcdefghijklmnopqrstuvwxyz"[x % 26] + w, x // 26
            if x == 0:
                break
        words.append("q" + w)
        n += len(w) + 2
        i += 1
    return " ".join(words), i
body, nxt = distinct(0, size)
with open("docs/words.jsonl", "w") as f:
    f.write(json.dumps({"id": "words", "body": "firstjsonlword " + body}) + "\n")
body, _ = distinct(nxt, size)
with open("docs/words.html", "w") as f:
    f.write("<html><head><title>Words</title></head><body><p>firsthtmlword " + body + "</p></body></html>\n")
PY

# peak_kb CMD...: run CMD (its output in $OUT and $ERR), its peak resident
# memory in KB in $PEAK.
peak_kb()
{
    run /usr/bin/time -o "$TMP/.time" -f %M "$@"
    PEAK=$(tail -n 1 "$TMP/.time")
}

bound_kb() # writers, largest document in MB
{
    echo $(((64 + $1 * (256 + 8 * $2)) * 1024))
}

peak_kb "$INDEXER" -j 1 -d "$TMP/db" docs
if [ -n "${FIHRIS_SANITIZED:-}" ]; then
    echo "sanitized build: peak memory ($((PEAK / 1024)) MB) not checked"
else
    [ "$PEAK" -le "$(bound_kb 1 $MB)" ] ||
        fail "peak memory $((PEAK / 1024)) MB over the bound of $(($(bound_kb 1 $MB) / 1024)) MB"
    echo "peak memory, one writer: $((PEAK / 1024)) MB (bound $(($(bound_kb 1 $MB) / 1024)) MB)"
fi
assert_eq 0 "$RC" "exit status (stderr: $ERR)"
assert_eq "2 added, 0 replaced, 0 unchanged, 0 skipped, 0 failed, 2 warnings" "$(summary_counts "$OUT")" \
    "both documents indexed"
for doc in docs/words.jsonl:1 docs/words.html; do
    assert_contains "$ERR" "indexer: warning: $doc: more than 500000 distinct terms: " \
        "the warning for $doc"
done
assert_eq 2 "$(printf '%s\n' "$ERR" | wc -l)" "one warning a document"
assert_eq words "$("$SEARCH" -d "$TMP/db" --format ids firstjsonlword)" "the JSONL line's first word"
assert_eq "$PWD/docs/words.html" "$("$SEARCH" -d "$TMP/db" --format ids firsthtmlword)" \
    "the page's first word"
