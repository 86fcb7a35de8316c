#!/usr/bin/env bash
# full_disk.sh - the disk fills up under the indexer, on a small tmpfs, at
# several moments: a corpus larger than the whole disk (4 MB, grown to 40 MB
# for the re-run), a new database's parallel build with less free space than
# it needs (while the shards are written, and during their final merge), and
# an update of a database that searchd serves.  Each time the indexer must
# stop with a clear message ("No space left on device") and an exit status
# of 1 or 2, never crash (status >= 128, sanitizer report); must leave no
# DB.compacting behind; the same command run again after space is freed must
# finish with every document; and searchd must keep answering throughout.
#   BUILD_DIR=build SOURCE_DIR=. tests/stress/full_disk.sh      (as root: it mounts a tmpfs)
#   STRESS_DISK_MB (6): size of the corpus (at least 4 MB, for a parallel build)
set -u
source "$(dirname "${BASH_SOURCE[0]}")/../e2e/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

CORPUS_MB=${STRESS_DISK_MB:-6}
DISK=$TMP/disk
DB=$DISK/db
ATTACKS=("full disk: corpus larger than the disk" "full disk during builds"
    "full disk: no DB.compacting left" "full disk during an update, searchd up")

cd "$TMP" || exit 2
mkdir -p "$DISK"
if [ "$(id -u)" != 0 ] || ! mount -t tmpfs -o size=4m fihris-stress "$DISK" 2>"$TMP/mount.err"; then
    for a in "${ATTACKS[@]}"; do
        report "$a" ok "SKIPPED: cannot mount a tmpfs ($(id -u) $(head -c 200 "$TMP/mount.err"))"
    done
    exit 0
fi
# Stop what runs on the tmpfs before unmounting it, then lib.sh's cleanup.
_unmount()
{
    local p
    for p in "${BG_PIDS[@]+"${BG_PIDS[@]}"}"; do
        kill -9 "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    BG_PIDS=()
    umount "$DISK" 2>/dev/null || umount -l "$DISK" 2>/dev/null
    _cleanup
}
trap _unmount EXIT

N=$("$PYTHON" "$STRESS_DIR/gen_corpus.py" corpus.jsonl "$CORPUS_MB") || exit 2
R=$("$PYTHON" "$STRESS_DIR/gen_corpus.py" replaced.jsonl 0.5 --variant 1) || exit 2
A=$("$PYTHON" "$STRESS_DIR/gen_corpus.py" added.jsonl 0.5 --first 1000000) || exit 2
cat replaced.jsonl added.jsonl >update.jsonl

avail() { df -B1 --output=avail "$DISK" | tail -n 1 | tr -d ' '; }
used() { df -B1 --output=used "$DISK" | tail -n 1 | tr -d ' '; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

# fill FREE: a filler file leaving about FREE bytes free on the disk (0: none).
fill()
{
    rm -f "$DISK/filler"
    local size=$(($(avail) - $1))
    if [ "$1" == 0 ]; then
        dd if=/dev/zero of="$DISK/filler" bs=64k 2>/dev/null # until the disk is full
    elif [ "$size" -gt 0 ]; then
        fallocate -l "$size" "$DISK/filler" 2>/dev/null ||
            head -c "$size" /dev/zero >"$DISK/filler" 2>/dev/null
    fi
}

# judge_failure WHAT: after a run that did not finish ($RC, $ERR), whether it
# stopped as it must; the problem into $PROBLEM.
judge_failure()
{
    PROBLEM=""
    printf '%s\n' "$ERR" >"$TMP/judge.err"
    if crashed "$RC" "$TMP/judge.err"; then
        PROBLEM="$1: crashed (status $RC): $(head -c 600 "$TMP/judge.err")"
    elif [ "$RC" != 1 ] && [ "$RC" != 2 ]; then
        PROBLEM="$1: exit status $RC"
    elif ! grep -q "No space left on device" "$TMP/judge.err"; then
        PROBLEM="$1: exit $RC without saying 'No space left on device': $(head -c 300 "$TMP/judge.err")"
    elif [ "$(grep -c . "$TMP/judge.err")" -gt 3 ]; then
        PROBLEM="$1: more than three lines of messages: $(head -c 300 "$TMP/judge.err")"
    fi
    [ -z "$PROBLEM" ] || note "$PROBLEM"
    [ -z "$PROBLEM" ]
}

# judge_complete WHAT TOTAL: after a run that must have finished: status 0,
# TOTAL documents once each, nothing left next to DB.
judge_complete()
{
    local got left="" f
    PROBLEM=""
    for f in "$DB".*; do
        [ -e "$f" ] && left+=" $(basename "$f")"
    done
    got=$(count_docs "$DB" allstress)
    if [ "$RC" != 0 ]; then
        PROBLEM="$1: exit $RC: $(head -c 300 <<<"$ERR")"
    elif [ "$got" != "$2 $2" ]; then
        PROBLEM="$1: allstress lists $got (total unique), expected $2"
    elif [ -n "$left" ]; then
        PROBLEM="$1: left$left"
    fi
    [ -z "$PROBLEM" ] || note "$PROBLEM"
    [ -z "$PROBLEM" ]
}

index() { run "$INDEXER" -d "$DB" --no-progress "$1"; }

# ---- a corpus larger than the whole disk, then a larger disk ----
index corpus.jsonl
judge_failure "a $CORPUS_MB MB corpus on a 4 MB disk" && first_fail=ok || first_fail=FAILED
first_rc=$RC
mount -o remount,size=40m "$DISK" || exit 2
index corpus.jsonl
if judge_complete "the re-run on a 40 MB disk" "$N" && [ "$first_fail" == ok ]; then
    report "${ATTACKS[0]}" ok "exit $first_rc 'No space left on device' ($CORPUS_MB MB on 4 MB), re-run on 40 MB: $N docs"
else
    report "${ATTACKS[0]}" FAILED "$PROBLEM"
fi

# ---- builds with less room than they need ----
# What a build needs at its peak (the shards and the merged database side by
# side), sampled while it runs.
rm -rf "$DB" "$DB".*
base=$(used)
start_bg "$TMP/calib" "$INDEXER" -d "$DB" --no-progress corpus.jsonl
peak=0
while alive "$BG_PID"; do
    u=$(used)
    [ "$u" -gt "$peak" ] && peak=$u
    sleep 0.02
done
wait_bg "$BG_PID"
PEAK=$((peak - base))
FINAL=$(du -sb "$DB" | cut -f1)
note "a $CORPUS_MB MB build needs $(mb "$PEAK") MB at its peak, $(mb "$FINAL") MB in the end"

moments=0 clear=0 completed=0 in_merge=0 compacting_left=0 fitted=0 problems=""
for pct in 0 10 30 50 70 85 95; do
    rm -rf "$DB" "$DB".*
    fill $((PEAK * pct / 100))
    moments=$((moments + 1))
    index corpus.jsonl
    if [ "$RC" == 0 ]; then
        fitted=$((fitted + 1)) # enough room after all: the database must be whole
        judge_complete "a build with $pct% of its peak free" "$N" && clear=$((clear + 1)) ||
            problems+=" $PROBLEM;"
    else
        judge_failure "a build with $pct% of its peak free" && clear=$((clear + 1)) ||
            problems+=" $PROBLEM;"
        grep -q "compacting" <<<"$ERR" && in_merge=$((in_merge + 1))
        if [ -e "$DB.compacting" ]; then
            compacting_left=$((compacting_left + 1))
            note "a build with $pct% of its peak free left $(basename "$DB").compacting ($(du -sh "$DB.compacting" | cut -f1)): $ERR"
        fi
    fi
    rm -f "$DISK/filler"
    index corpus.jsonl
    judge_complete "the re-run after a build with $pct% of its peak free" "$N" &&
        completed=$((completed + 1)) || problems+=" $PROBLEM;"
done
figure="$clear/$moments stopped clearly, $completed/$moments re-runs complete ($N docs);"
figure+=" $in_merge failed in the merge, $fitted fitted"
if [ "$clear" == "$moments" ] && [ "$completed" == "$moments" ]; then
    report "${ATTACKS[1]} ($moments)" ok "$figure"
else
    report "${ATTACKS[1]} ($moments)" FAILED "$figure:$problems"
fi
if [ "$in_merge" == 0 ]; then
    report "${ATTACKS[2]}" FAILED "no build failed in its merge: the disk sizes miss that moment"
elif [ "$compacting_left" == 0 ]; then
    report "${ATTACKS[2]}" ok "$in_merge merges failed, none left $(basename "$DB").compacting"
else
    report "${ATTACKS[2]}" FAILED "$compacting_left of $in_merge failed merges left $(basename "$DB").compacting"
fi

# ---- an update while searchd serves the database ----
# The database built above is whole; fill the disk, update, free, re-run.
start_searchd --quiet
poll()
{
    while :; do
        curl -s -o /dev/null -m 5 -w '%{http_code}\n' "$BASE/healthz"
        sleep 0.1
    done >"$TMP/statuses"
}
poll &
POLL_PID=$!
BG_PIDS+=("$POLL_PID")
docs()
{
    curl -s -m 5 "$BASE/healthz" | "$PYTHON" -c '
import json, sys
try:
    print(json.load(sys.stdin).get("documents"))
except ValueError:
    print("none")' 2>/dev/null
}
problems=""
before=$(docs)
[ "$before" == "$N" ] || problems+=" searchd counts '$before' before the update, expected $N;"
update_fails=0
for free in 0 65536 262144; do
    fill "$free"
    index update.jsonl
    if [ "$RC" != 0 ]; then
        update_fails=$((update_fails + 1))
        judge_failure "an update with $free bytes free" || problems+=" $PROBLEM;"
    fi
    during=$(docs)
    [ -n "$during" ] && [ "$during" -ge "$N" ] || problems+=" searchd counts '$during' after a failed update;"
done
rm -f "$DISK/filler"
index update.jsonl
judge_complete "the update re-run after freeing space" "$((N + A))" || problems+=" $PROBLEM;"
got=$(count_docs "$DB" variant1)
[ "$got" == "$R $R" ] || problems+=" variant1 lists $got, expected $R;"
after=$(docs)
[ "$after" == "$((N + A))" ] || problems+=" searchd counts '$after' after the update, expected $((N + A));"
kill "$POLL_PID" 2>/dev/null
wait "$POLL_PID" 2>/dev/null
alive "$SEARCHD_PID" || problems+=" searchd died: $(tail -n 5 "$TMP/searchd.err");"
bad=$(grep -v -x -c 200 "$TMP/statuses")
polls=$(wc -l <"$TMP/statuses")
[ "$bad" == 0 ] || problems+=" $bad of $polls /healthz polls not 200 ($(grep -v -x 200 "$TMP/statuses" | sort | uniq -c | tr '\n' ' '));"
figure="$update_fails/3 updates stopped by the full disk, searchd $before -> $after docs, $polls /healthz polls all 200"
if [ -z "$problems" ]; then
    report "${ATTACKS[3]}" ok "$figure"
else
    report "${ATTACKS[3]}" FAILED "$problems"
fi
exit "$STRESS_FAILED"
