#!/usr/bin/env bash
# Ranking promises: an exact-form match ranks above a stem-only match, and a
# match in the title weighs more than one in the body.  Each pair of documents
# differs only in the one word under test, so BM25 length normalization is equal.
source "$(dirname "$0")/lib.sh"

db=$TMP/db
filler="lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor"
cat > "$TMP/docs.jsonl" <<JSONL
{"id": "ar-stem", "title": "تقرير أول", "body": "قال باحثون إن $filler"}
{"id": "ar-exact", "title": "تقرير ثان", "body": "قال الباحثين إن $filler"}
{"id": "en-stem", "title": "report one", "body": "new research says $filler"}
{"id": "en-exact", "title": "report two", "body": "new researchers says $filler"}
{"id": "in-body", "title": "alpha notes", "body": "the zephyr word $filler"}
{"id": "in-title", "title": "zephyr notes", "body": "the alpha word $filler"}
JSONL
assert_exit 0 "$INDEXER" -d "$db" --no-progress "$TMP/docs.jsonl"

top_ids() { "$SEARCH" -d "$db" --format ids -n 10 "$@"; }

# Arabic: الباحثين (exact) before باحثون (same stem باحث); both found.
assert_eq "ar-exact ar-stem" "$(top_ids الباحثين | tr '\n' ' ' | sed 's/ $//')" "الباحثين ranking"
# The same with harakat in the query: normalization keeps it exact.
assert_eq "ar-exact ar-stem" "$(top_ids 'الْبَاحِثِينَ' | tr '\n' ' ' | sed 's/ $//')" \
    "diacritized query ranking"
# And from the other side: باحثون is exact in ar-stem.
assert_eq "ar-stem ar-exact" "$(top_ids باحثون | tr '\n' ' ' | sed 's/ $//')" "باحثون ranking"
# English: researchers (exact) before research (stem only), and the reverse.
assert_eq "en-exact en-stem" "$(top_ids researchers | tr '\n' ' ' | sed 's/ $//')" "researchers"
assert_eq "en-stem en-exact" "$(top_ids research | tr '\n' ' ' | sed 's/ $//')" "research"
# Title beats body.
assert_eq "in-title in-body" "$(top_ids zephyr | tr '\n' ' ' | sed 's/ $//')" "title weight"

# Scores strictly decrease in those pairs (not a tie broken by docid).
scores=$("$SEARCH" -d "$db" --format json researchers | json_eval '" ".join("%.6f" % h["score"] for h in d["hits"])')
read -r first second <<<"$scores"
awk -v a="$first" -v b="$second" 'BEGIN { exit !(a > b) }' || fail "exact score $first not above stem score $second"
echo "ok"
