#!/usr/bin/env bash
# search_nothing.sh - a query with no word to search for ("", *, (), OR, a
# lone quote, punctuation, tatweel or harakat only...) finds nothing and says
# why, the same way everywhere: `search` exits 1 with a note, --batch goes on
# to the next line, searchd answers 200 with no hits and the note.  A query
# that only excludes words stays an error (exit 2, 400).
source "$(dirname "$0")/lib.sh"

DB=$TMP/db
"$INDEXER" -d "$DB" "$SOURCE_DIR/tests/fixtures/news/news.jsonl" >/dev/null 2>&1 ||
    fail "cannot index the news fixture"

queries=("" " " "*" "**" "*****" "()" "(())" "+" "-" "- -" "-+" "OR" "AND" "NOT" "NEAR"
         '"' '""' '" "' "=" "(" ")" "title:" "!?.,;:" "ـــ" $'\xd9\x8e\xd9\x8f\xd9\x90' "«»" "NOT ...")

for q in "${queries[@]}"; do
    assert_exit 1 "$SEARCH" -d "$DB" "$q"
    assert_contains "$OUT" "no word to search for" "text note for [$q]"
    assert_eq "" "$ERR" "no error for [$q]"
    assert_exit 1 "$SEARCH" -d "$DB" --format json "$q"
    assert_eq "0 0 True" "$(json_eval '"%d %d %s" % (d["total"], len(d["hits"]), "no word to search for" in d["notes"])' <<<"$OUT")" \
        "JSON answer for [$q]"
done

# --batch: each such line answers with nothing (a blank line asks nothing);
# the run goes on and exits 1 when nothing matched.
printf '%s\n' "${queries[@]}" >"$TMP/batch.txt"
assert_exit 1 "$SEARCH" -d "$DB" --format json --batch "$TMP/batch.txt"
assert_eq "" "$ERR" "no error in the batch"
nonblank=$(grep -cv '^[[:space:]]*$' "$TMP/batch.txt")
assert_eq "$nonblank" "$(grep -c 'no word to search for' <<<"$OUT")" "one answer per line"
printf '%s\nOpenAI\n' "${queries[@]}" >"$TMP/batch2.txt"
assert_exit 0 "$SEARCH" -d "$DB" --format ids --batch "$TMP/batch2.txt"

# searchd: 200, no hits, the note (q absent is still a bad request).
start_searchd
for q in "${queries[@]}"; do
    enc=$("$PYTHON" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$q")
    body=$(curl -s -w '\n%{http_code}' "$BASE/api/search?q=$enc") || fail "curl failed"
    assert_eq 200 "${body##*$'\n'}" "status for [$q]"
    assert_eq "0 0 True" "$(json_eval '"%d %d %s" % (d["total"], len(d["hits"]), "no word to search for" in d["notes"])' <<<"${body%$'\n'*}")" \
        "searchd answer for [$q]"
done
assert_eq 400 "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/search")" "no q at all"

# Excluding words with nothing else to look for is an error everywhere.
for q in "-Tesla" "NOT (a OR b)" "... -Tesla"; do
    assert_exit 2 "$SEARCH" -d "$DB" "$q"
    assert_contains "$ERR" "only excludes" "[$q]"
    enc=$("$PYTHON" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$q")
    assert_eq 400 "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/search?q=$enc")" "searchd [$q]"
done
printf 'OpenAI\n-Tesla\n' >"$TMP/batch3.txt"
assert_exit 2 "$SEARCH" -d "$DB" --format ids --batch "$TMP/batch3.txt"
