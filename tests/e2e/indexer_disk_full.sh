#!/usr/bin/env bash
# indexer_disk_full.sh - a disk that fills up during a parallel build (at a
# batch commit, at the start, during the final merge) stops the indexer with
# a message and leaves nothing half-written that would take the space the
# next run needs; once there is room again, the next run completes the
# database with every document.  Needs root for a small tmpfs.
set -u
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$TMP" || fail "cd $TMP"
mount_small_disk 16m
DB=$DISK/db

# Over 4 MB of input, so that a new database is built by parallel writers.
N=27000
gen_jsonl corpus.jsonl $N
[ "$(wc -c <corpus.jsonl)" -gt $((4 * 1024 * 1024)) ] || fail "the corpus is too small"

# leftovers: what a failed run must not leave on the disk.
leftovers()
{
    find "$DISK" -name '*.compacting' -o -name '*.stub-tmp'
}

# A fresh run fails with status 2 for lack of space, leaving nothing behind.
expect_no_space()
{
    assert_exit 2 "$INDEXER" -j 2 -d "$DB" corpus.jsonl
    assert_contains "$ERR" "No space left on device" "$1: the error says why"
    assert_eq "" "$(leftovers)" "$1: files left behind"
}

# Room again: the same command completes the database, every document in it.
expect_completed()
{
    assert_exit 0 "$INDEXER" -j 2 -d "$DB" corpus.jsonl
    [ -d "$DB" ] || fail "$1: $DB is not a merged database: $(ls -la "$DISK")"
    [ -e "$DB.shards" ] && fail "$1: the shards are still there"
    assert_eq $N "$(count_hits "$DB" everyword)" "$1: documents after the re-run"
}

# ---- the disk fills up at a batch commit ----
expect_no_space "batch commit"
mount -o remount,size=256m "$DISK" || fail "cannot grow the tmpfs"
expect_completed "batch commit"
MERGED_KB=$(du -sk "$DB" | cut -f1)

# ---- the disk is full from the start ----
rm -rf "$DB" "$DB.shards"
cat /dev/zero >"$DISK/filler" 2>/dev/null
expect_no_space "full disk"
rm -f "$DISK/filler"
expect_completed "full disk"

# ---- the disk fills up during the final merge ----
# The shards of a build interrupted before its merge: those a sharded
# database keeps, without the mark that keeps them.
rm -rf "$DB" "$DB.shards"
assert_exit 0 "$INDEXER" --shards 2 -d "$DB" corpus.jsonl
rm -f "$DB.shards/sharded"
AVAIL_KB=$(df -k --output=avail "$DISK" | tail -n 1)
head -c $(((AVAIL_KB - MERGED_KB / 2) * 1024)) /dev/zero >"$DISK/filler" ||
    fail "cannot fill the disk"
# Xapian's compactor (1.4) leaks what it allocated when a write fails: not
# ours to find under LeakSanitizer.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
    assert_exit 2 "$INDEXER" -j 2 -d "$DB" corpus.jsonl
assert_contains "$ERR" "No space left on device" "merge: the error says why"
assert_contains "$ERR" "removed the unfinished $DB.compacting" "merge: the error says what was removed"
assert_eq "" "$(leftovers)" "merge: files left behind"
assert_eq $N "$(count_hits "$DB" everyword)" "documents searchable through the shards meanwhile"
rm -f "$DISK/filler"
expect_completed "merge"

echo "indexer_disk_full: ok"
