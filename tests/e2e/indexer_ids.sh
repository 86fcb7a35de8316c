#!/usr/bin/env bash
# indexer_ids.sh - every id names one document: an id too long for a term is
# hashed, and a short id written to read like that hashed term stays a
# document of its own.
set -u
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$TMP" || fail "cd $TMP"
DB=$TMP/db

# A 300-byte id, and the term Fihris once made of it (its first 180 bytes,
# '#' and two FNV-1a hashes in hex) written as a short id.
LONG=$(printf 'x%.0s' $(seq 300))
FORGED=$("$PYTHON" -c '
import sys
def fnv(b):
    h = 0xcbf29ce484222325
    for c in b:
        h = ((h ^ c) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h
i = sys.argv[1].encode()
print("%s#%016x%016x" % (i[:180].decode(), fnv(i), fnv(i[:len(i) // 2])))' "$LONG")
assert_eq 213 "${#FORGED}" "the forged id's length"

printf '{"id":"%s","body":"longidword"}\n{"id":"%s","body":"forgedidword"}\n' "$LONG" "$FORGED" \
    >docs.jsonl
assert_exit 0 "$INDEXER" -d "$DB" docs.jsonl
assert_eq "2 added, 0 replaced, 0 unchanged, 0 skipped, 0 failed" "$(summary_counts "$OUT")" \
    "both documents added"
assert_eq "$LONG" "$("$SEARCH" -d "$DB" --format ids longidword)" "the long id's document"
assert_eq "$FORGED" "$("$SEARCH" -d "$DB" --format ids forgedidword)" "the forged id's document"
assert_eq 1 "$("$SEARCH" -d "$DB" --format ids "id:$FORGED" | wc -l)" "id: finds the forged id only"

# Again, one at a time into a database that holds the other, in both orders.
for order in "$LONG $FORGED" "$FORGED $LONG"; do
    rm -rf "$DB"
    for id in $order; do
        printf '{"id":"%s","body":"word%s"}\n' "$id" "${#id}" >one.jsonl
        assert_exit 0 "$INDEXER" -d "$DB" one.jsonl
        assert_eq "1 added, 0 replaced, 0 unchanged, 0 skipped, 0 failed" \
            "$(summary_counts "$OUT")" "adding the ${#id}-byte id after the other"
    done
    assert_eq "$LONG" "$("$SEARCH" -d "$DB" --format ids word300)" "long id kept ($order)"
    assert_eq "$FORGED" "$("$SEARCH" -d "$DB" --format ids word213)" "forged id kept ($order)"
done

# Deleting one leaves the other.
assert_exit 0 "$INDEXER" -d "$DB" --delete "$LONG"
assert_eq "1 deleted, 0 not found" "$OUT" "deleting the long id"
assert_eq "$FORGED" "$("$SEARCH" -d "$DB" --format ids word213)" "the forged id survives"
assert_exit 0 "$INDEXER" -d "$DB" --delete "$FORGED"
assert_eq "1 deleted, 0 not found" "$OUT" "deleting the forged id"

echo "indexer_ids: ok"
