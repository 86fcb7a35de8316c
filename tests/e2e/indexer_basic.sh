#!/usr/bin/env bash
# indexer_basic.sh - indexing, re-indexing, replacing and deleting documents,
# JSON Lines from standard input, and the lock that keeps two indexers off
# one database.
set -u
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$TMP" || fail "cd $TMP"
DB=$TMP/db

# ids DB QUERY...: the ids that answer QUERY, one a line.
ids()
{
    local db=$1
    shift
    "$SEARCH" -d "$db" --format ids -n 100 "$@"
}

# One document per supported format, each holding a word no other has.
mkdir -p docs/sub
printf 'Alpha heading\n\nThe zebraword lives in plain text.\n' >docs/a.txt
printf '# Markdown *heading*\n\nSome **quokkaword** markup.\n' >docs/sub/b.md
printf '%s\n' '<html><head><title>Html heading</title><script>var scriptword = 1;</script></head>' \
    '<body><h1>Big</h1><p>A visible narwhalword.</p></body></html>' >docs/c.html
printf '%s\n' \
    '{"id":"j1","title":"Jay one","body":"axolotlword oldjayword","url":"https://example.org/j1","date":"2024-05-06","source":"wire"}' \
    '{"id":"j2","title":"Jay two","body":"pangolinword"}' >docs/d.jsonl

# ---- first run: everything is added ----
assert_exit 0 "$INDEXER" -d "$DB" docs
assert_eq "5 added, 0 replaced, 0 unchanged, 0 skipped, 0 failed" "$(summary_counts "$OUT")" \
    "first run summary"
assert_eq 4 "$(summary_count "$OUT" files)" "files in the first run"
assert_eq "" "$ERR" "first run writes no notices"

assert_eq "$PWD/docs/a.txt" "$(ids "$DB" zebraword)" "txt document"
assert_eq "$PWD/docs/sub/b.md" "$(ids "$DB" quokkaword)" "markdown document"
assert_eq "$PWD/docs/c.html" "$(ids "$DB" narwhalword)" "html document"
assert_eq "j1" "$(ids "$DB" axolotlword)" "first jsonl document"
assert_eq "j2" "$(ids "$DB" pangolinword)" "second jsonl document"
assert_exit 1 "$SEARCH" -d "$DB" --format ids scriptword
assert_eq "" "$OUT" "html <script> text must not be indexed"
assert_eq "Markdown heading" "$("$SEARCH" -d "$DB" --format json quokkaword | json_eval 'd["hits"][0]["title"]')" \
    "markdown title without markup"
assert_eq "Html heading" "$("$SEARCH" -d "$DB" --format json narwhalword | json_eval 'd["hits"][0]["title"]')" \
    "html title"
assert_eq '["https://example.org/j1", "2024-05-06", "wire"]' \
    "$("$SEARCH" -d "$DB" --format json axolotlword |
        json_eval '[d["hits"][0][k] for k in ("url", "date", "source")]')" "jsonl metadata"

# ---- second run: nothing changed ----
assert_exit 0 "$INDEXER" -d "$DB" docs
assert_eq "0 added, 0 replaced, 5 unchanged, 0 skipped, 0 failed" "$(summary_counts "$OUT")" \
    "re-run summary"
# The same files named another way are the same documents.
assert_exit 0 "$INDEXER" -d "$DB" ./docs/../docs "$PWD/docs/sub/b.md"
assert_eq "0 added, 0 replaced, 6 unchanged, 0 skipped, 0 failed" "$(summary_counts "$OUT")" \
    "re-run through other spellings of the paths"

# ---- one file modified: replaced, old content gone ----
printf 'Alpha heading\n\nThe okapiword lives in plain text now.\n' >docs/a.txt
assert_exit 0 "$INDEXER" -d "$DB" docs
assert_eq "0 added, 1 replaced, 4 unchanged, 0 skipped, 0 failed" "$(summary_counts "$OUT")" \
    "summary after modifying one file"
assert_eq "$PWD/docs/a.txt" "$(ids "$DB" okapiword)" "new content is searchable"
assert_exit 1 "$SEARCH" -d "$DB" --format ids zebraword
assert_eq "" "$OUT" "old content of a replaced document must be gone"

# ---- the same JSONL id from another file, in a later run ----
mkdir other
printf '%s\n' '{"id":"j1","title":"Jay one again","body":"axolotlword wombatword"}' >other/again.jsonl
assert_exit 0 "$INDEXER" -d "$DB" other
assert_eq "0 added, 1 replaced, 0 unchanged, 0 skipped, 0 failed" "$(summary_counts "$OUT")" \
    "indexing a known id from another file"
assert_eq "j1" "$(ids "$DB" axolotlword)" "an id indexed twice is listed once"
assert_eq 1 "$(count_hits "$DB" wombatword)" "documents with the new text of j1"
assert_exit 1 "$SEARCH" -d "$DB" --format ids oldjayword
# The original file holds the old j1 again: the id is replaced once more.
assert_exit 0 "$INDEXER" -d "$DB" docs
assert_eq "0 added, 1 replaced, 4 unchanged, 0 skipped, 0 failed" "$(summary_counts "$OUT")" \
    "re-indexing the original j1"
assert_eq "j1" "$(ids "$DB" axolotlword)" "j1 after being replaced back"
assert_eq "j1" "$(ids "$DB" oldjayword)" "j1 holds its original text again"
assert_exit 1 "$SEARCH" -d "$DB" --format ids wombatword

# ---- the same id twice in one file, one run: the later line wins ----
printf '%s\n' '{"id":"twin","title":"Twin","body":"twinword twinfirstword"}' \
    '{"id":"twin","title":"Twin","body":"twinword twinsecondword"}' >twins.jsonl
assert_exit 0 "$INDEXER" -d "$DB" twins.jsonl
assert_eq "twin" "$(ids "$DB" twinword)" "an id given twice in one run is listed once"
assert_eq 1 "$(count_hits "$DB" twinword)" "documents for an id given twice in one run"
assert_eq "twin" "$(ids "$DB" twinsecondword)" "the later line of a repeated id wins"
assert_exit 1 "$SEARCH" -d "$DB" --format ids twinfirstword

# ---- deleting ----
assert_exit 0 "$INDEXER" -d "$DB" --delete twin
assert_eq "1 deleted, 0 not found" "$OUT" "deleting a known id"
assert_exit 1 "$SEARCH" -d "$DB" --format ids twinword
assert_eq "" "$OUT" "a deleted document must not be found"

assert_exit 0 "$INDEXER" -d "$DB" --delete no-such-id
assert_eq "0 deleted, 1 not found" "$OUT" "deleting an unknown id"

assert_exit 0 "$INDEXER" -d "$DB" --delete twin docs/c.html
assert_eq "1 deleted, 1 not found" "$OUT" "deleting a deleted id and a path id"
assert_exit 1 "$SEARCH" -d "$DB" --format ids narwhalword
# What was not deleted is still there.
assert_eq "j2" "$(ids "$DB" pangolinword)" "an untouched document after deletions"
assert_eq "$PWD/docs/sub/b.md" "$(ids "$DB" quokkaword)" "an untouched file after deletions"

# ---- JSON Lines from standard input (-) ----
# From a pipe: ids required, bad lines named <stdin> with their number.
printf '%s\n' '{"id":"s1","title":"Piped","body":"stdinword one"}' 'not json' \
    '{"body":"stdinword without id"}' '{"id":"s2","body":"stdinword two"}' >piped.jsonl
assert_exit 1 "$INDEXER" -d "$DB" - < <(cat piped.jsonl)
assert_eq "2 added, 0 replaced, 0 unchanged, 0 skipped, 2 failed" "$(summary_counts "$OUT")" \
    "summary of JSONL from a pipe"
assert_eq 1 "$(summary_count "$OUT" files)" "standard input is one input"
assert_contains "$ERR" "indexer: failed: <stdin>:2: invalid JSON" "a bad line of standard input"
assert_contains "$ERR" "indexer: failed: <stdin>:3: missing string field \"id\"" \
    "a line of standard input without an id"
assert_eq "$(printf 's1\ns2')" "$(ids "$DB" stdinword | sort)" "documents from standard input"
# From a file given as standard input, with files: the same documents, unchanged.
assert_exit 1 "$INDEXER" -d "$DB" docs/d.jsonl - <piped.jsonl
assert_eq "0 added, 0 replaced, 4 unchanged, 0 skipped, 2 failed" "$(summary_counts "$OUT")" \
    "JSONL from a redirected file"
# Nothing, or binary data, is reported as a file would be.
assert_exit 0 "$INDEXER" -d "$DB" - </dev/null
assert_contains "$ERR" "indexer: skipped: <stdin>: empty file" "empty standard input"
printf 'GIF89a\0\0\1\2binary\0data' >binary.bin
assert_exit 0 "$INDEXER" -d "$DB" - <binary.bin
assert_contains "$ERR" "indexer: skipped: <stdin>: binary file" "binary standard input"
# A line over 64 MB is skipped, the next one read, as in a .jsonl file.
assert_exit 1 "$INDEXER" -d "$DB" - < <(printf '{"id":"huge","body":"'
    head -c $((64 * 1024 * 1024)) /dev/zero | tr '\0' a
    printf '"}\n{"id":"after-huge","body":"afterhugeword"}\n')
assert_contains "$ERR" "indexer: failed: <stdin>:1: line too long (over 64 MB)" "an overlong line"
assert_eq "after-huge" "$(ids "$DB" afterhugeword)" "the line after an overlong one"
# Standard input is read once; ./- is a file named -.
assert_exit 2 "$INDEXER" -d "$DB" - - <piped.jsonl
assert_contains "$ERR" "only once" "standard input twice"
printf 'dashword\n' >./-
assert_exit 0 "$INDEXER" -d "$DB" ./- </dev/null
assert_contains "$ERR" "./-: unsupported file type" "./- is a file"

# ---- the lock: one indexer at a time ----
gen_jsonl big.jsonl 30000
LOCKDB=$TMP/lockdb
start_bg "$TMP/first" "$INDEXER" -d "$LOCKDB" --batch 200 --no-progress big.jsonl
FIRST=$BG_PID
wait_for_docs "$LOCKDB" everyword "$FIRST"

assert_exit 2 "$INDEXER" -d "$LOCKDB" docs
assert_contains "$ERR" "database is locked: another" "second indexer on a locked database"
assert_contains "$ERR" "--wait S" "the message says what to do"
# Deleting is refused too (the message depends on how the database is being
# built, so only the status is checked).
assert_exit 2 "$INDEXER" -d "$LOCKDB" --delete gen-1
# Readers are not locked out.
assert_exit 0 "$SEARCH" -d "$LOCKDB" --format ids -n 1 everyword

# The first indexer must still have been running for the above to mean
# anything: stopped now, it reports an interruption.
kill -TERM "$FIRST"
wait_bg "$FIRST"
rc=$BG_RC
[ "$rc" == 0 ] && fail "the first indexer finished before the lock was tested (input too small?)"
assert_eq 130 "$rc" "exit status of the first indexer after SIGTERM: $(cat "$TMP/first.err")"

# Once it is gone, the database is free again.
assert_exit 0 "$INDEXER" -d "$LOCKDB" docs
assert_eq "$PWD/docs/sub/b.md" "$(ids "$LOCKDB" quokkaword)" "indexing after the lock was released"

echo "indexer_basic: ok"
