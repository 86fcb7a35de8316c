#!/usr/bin/env bash
# Misuse of the commands gets a clear message and exit status 2, and never
# costs data: a file given as a database, a mistyped database, broken
# arguments, unwritable output, unreadable batch input.
source "$(dirname "$0")/lib.sh"
cd "$TMP" || fail "cd $TMP"

printf 'Title\n\nBody about walruses.\n' >doc.txt
assert_exit 0 "$INDEXER" -d db --no-progress doc.txt

# A regular file given as the database is refused and left untouched.
echo precious >notes.txt
assert_exit 2 "$INDEXER" -d notes.txt --no-progress doc.txt
assert_contains "$ERR" "not a Fihris database" "indexing into a regular file"
assert_eq precious "$(cat notes.txt)" "the file given as a database is intact"

# Deleting from a database that does not exist creates nothing.
assert_exit 2 "$INDEXER" -d typo_db --delete doc.txt
assert_contains "$ERR" "no database" "delete from a missing database"
[ ! -e typo_db ] || fail "delete created the missing database"

# Numbers must be numbers.
assert_exit 2 "$INDEXER" -d db --batch 5abc doc.txt
assert_contains "$ERR" "positive number" "--batch 5abc"
assert_exit 2 "$INDEXER" -d db -j 0 doc.txt
assert_exit 2 "$SEARCH" -d db -n 0 walruses
assert_exit 2 "$SEARCH" -d db --k1 inf walruses
assert_contains "$ERR" "--k1" "--k1 inf"
assert_exit 2 "$SEARCH" -d db --b 2 walruses
assert_contains "$ERR" "BM25" "--b 2"

# Output that cannot be written is an error, not a silent success.
if [ -w /dev/full ]; then
    assert_exit 2 bash -c "\"$SEARCH\" -d db walruses >/dev/full"
    assert_exit 2 bash -c "\"$SEARCH\" -d db --format json walruses >/dev/full"
fi

# A batch file that cannot be read is an error.
mkdir adir
assert_exit 2 "$SEARCH" -d db --batch adir
assert_contains "$ERR" "cannot read" "--batch on a directory"

# Too many words.
words=$(for i in $(seq 1 70); do printf 'w%d ' "$i"; done)
assert_exit 2 "$SEARCH" -d db "$words"
assert_contains "$ERR" "more than 64 words" "a 70-word query"

# Deleting by a relative path finds the document indexed under its absolute path.
assert_exit 0 "$INDEXER" -d db --delete ./doc.txt
assert_contains "$OUT" "1 deleted" "delete by relative path"
# A file name that is not UTF-8 costs nothing but a repaired id.
mkdir names
printf 'Title\n\nkiwiword here\n' >"names/$(printf 'bad\xff').txt"
printf 'Title\n\nemuword here\n' >names/z.txt
assert_exit 0 "$INDEXER" -d namesdb --no-progress names
assert_contains "$OUT" "2 added" "indexing a directory with a non-UTF-8 file name"
assert_exit 0 "$SEARCH" -d namesdb --format json kiwiword
printf '%s' "$OUT" | is_utf8 || fail "JSON output for a non-UTF-8 file name is not UTF-8"

echo ok
