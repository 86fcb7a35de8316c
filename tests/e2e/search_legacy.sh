#!/usr/bin/env bash
# search_legacy.sh - a database written by an earlier version, which kept the
# stored fields as Xapian's document data, is still searched with its titles
# and snippets, says that it should be indexed again, and, indexed again in
# part, reads both kinds of documents (the new one with its extra fields).
source "$(dirname "$0")/lib.sh"

DB=$TMP/db
cp -r "$SOURCE_DIR/tests/fixtures/legacy/db-v11" "$DB" || fail "cannot copy the fixture"

assert_exit 0 "$SEARCH" -d "$DB" Zuckerberg
assert_contains "$OUT" "Old article" "the title of an old document"
assert_contains "$OUT" "earlier version of Fihris about **Zuckerberg**" "its snippet"
assert_contains "$OUT" "**زوكربيرغ**" "the Arabic document's snippet"
assert_contains "$ERR" "run the indexer over its documents again" "the re-index notice"

# Indexed again, the new version of one document is read from where stored
# fields are kept now, the other still from its document data.
printf '%s\n' '{"id":"old-1","title":"Renewed article","body":"An article indexed again about Zuckerberg.","lang":"en","edition":2}' \
    >"$TMP/renewed.jsonl"
assert_exit 0 "$INDEXER" -d "$DB" --no-progress "$TMP/renewed.jsonl"
check=$("$SEARCH" -d "$DB" --format json Zuckerberg | json_eval '
sorted(h["id"] + ": " + h["title"] for h in d["hits"])')
assert_eq '["old-1: Renewed article", "old-2: مقال قديم"]' "$check" "old and new documents"

# Their stored fields through searchd: the old document has no extra
# fields, the new one the one it was given.
start_searchd --quiet
check=$(for id in old-1 old-2; do curl -s "$BASE/api/doc/$id" |
    json_eval '"%s %s" % (d["title"], json.dumps(d["extra"]))'; done)
assert_eq "$(printf 'Renewed article {"edition": 2}\nمقال قديم {}')" "$check" \
    "stored fields of the old and new forms"
echo ok
