#!/usr/bin/env bash
# indexer_interrupt.sh - an indexer killed (SIGKILL) or interrupted (SIGINT)
# in the middle of a run leaves a usable database holding whole batches, and
# running it again finishes the work.  Both ways of building a new database
# are covered: one writer (-j 1) and parallel shard writers (-j 2), where the
# database is a stub naming the shards until the build is complete.
set -u
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$TMP" || fail "cd $TMP"

N=25000 # documents, each with the word "everyword": about 4.5 MB
BATCH=500
gen_jsonl docs.jsonl "$N"

# start JOBS DB: index docs.jsonl into a new DB in the background.
start()
{
    rm -rf "$2" "$2".*
    start_bg "$TMP/run" "$INDEXER" -d "$2" -j "$1" --batch "$BATCH" --no-progress docs.jsonl
    PID=$BG_PID
    wait_for_docs "$2" everyword "$PID"
}

# opens DB: search answers "matched" or "no match", never "error".
opens()
{
    run "$SEARCH" -d "$1" --format ids -n 1 everyword
    [ "$RC" == 0 ] || [ "$RC" == 1 ] || fail "search on $1 after an interrupted run exited $RC: $ERR"
}

# finish JOBS DB KEPT [again]: running again completes the work, leaving what
# was committed alone, and every document is searchable exactly once; with
# "again", one more run finds everything unchanged.
finish()
{
    assert_exit 0 "$INDEXER" -d "$2" -j "$1" --batch "$BATCH" --no-progress docs.jsonl
    assert_eq "$((N - $3)) added, 0 replaced, $3 unchanged, 0 skipped, 0 failed" \
        "$(summary_counts "$OUT")" "re-run of an interrupted run (-j $1)"
    assert_not_contains "$OUT" "interrupted" "a completed re-run (-j $1)"
    assert_eq "$N" "$(count_hits "$2" everyword)" "documents after the re-run (-j $1)"
    assert_eq "gen-0" "$("$SEARCH" -d "$2" --format ids -n 1 "Generated 0")" "first document (-j $1)"
    assert_eq "gen-$((N - 1))" "$("$SEARCH" -d "$2" --format ids -n 1 "Generated $((N - 1))")" \
        "last document (-j $1)"
    # A third run has nothing left to do (checked once per mode, for speed).
    [ "${4:-}" == again ] || return 0
    assert_exit 0 "$INDEXER" -d "$2" -j "$1" --batch "$BATCH" --no-progress docs.jsonl
    assert_eq "0 added, 0 replaced, $N unchanged, 0 skipped, 0 failed" "$(summary_counts "$OUT")" \
        "a run after the build was finished (-j $1)"
}

for jobs in 1 2; do
    # ---- SIGKILL after the first commit ----
    DB=$TMP/killed-$jobs
    start "$jobs" "$DB"
    if [ "$jobs" == 2 ]; then
        [ -f "$DB" ] || fail "a parallel build of a new database should leave a stub file at $DB"
    fi
    kill -9 "$PID"
    wait_bg "$PID"
    assert_eq 137 "$BG_RC" "exit status of the killed indexer (-j $jobs; did it finish before the kill?)"
    opens "$DB"
    kept=$(count_hits "$DB" everyword)
    [ "$kept" -ge "$BATCH" ] || fail "-j $jobs: a committed batch was lost: $kept documents, expected at least $BATCH"
    [ "$kept" -lt "$N" ] || fail "-j $jobs: the indexer finished before it was killed: enlarge the input"
    assert_eq 0 $((kept % BATCH)) "a killed run keeps whole batches of $BATCH (-j $jobs, kept $kept)"
    # Each document kept has its own stored fields, written with it.
    stored=$("$SEARCH" -d "$DB" --format json -n 1000 everyword | json_eval '
[h["id"] for h in d["hits"] if h["title"] != "Generated " + h["id"].split("-")[1]] or len(d["hits"])')
    assert_eq "$((kept < 1000 ? kept : 1000))" "$stored" \
        "stored fields of the documents a killed run kept (-j $jobs)"
    finish "$jobs" "$DB" "$kept" again
    echo "-j $jobs: SIGKILL kept $kept of $N"

    # ---- SIGINT: stop, commit, say so, exit 130 ----
    DB=$TMP/interrupted-$jobs
    start "$jobs" "$DB"
    kill -INT "$PID"
    wait_bg "$PID"
    out=$(cat "$TMP/run.out")
    assert_eq 130 "$BG_RC" "exit status after SIGINT (-j $jobs; stdout: $out; stderr: $(cat "$TMP/run.err"))"
    assert_contains "$(printf '%s\n' "$out" | head -n 1)" "interrupted" "summary after SIGINT (-j $jobs)"
    added=$(summary_count "$out" added)
    [ -n "$added" ] || fail "no added count in the summary after SIGINT: $out"
    if [ "$jobs" == 1 ]; then
        # One writer stops reading at once.  (Shard writers first empty their
        # queues, which may hold the whole input.)
        [ "$added" -lt "$N" ] || fail "the indexer finished before SIGINT: enlarge the input"
    fi
    opens "$DB"
    # An interrupted run commits everything it added before stopping.
    assert_eq "$added" "$(count_hits "$DB" everyword)" "documents after SIGINT (-j $jobs)"
    finish "$jobs" "$DB" "$added"
    echo "-j $jobs: SIGINT kept $added of $N"
done

# ---- names: filed once a run; after a kill, by the next run ----
# The first documents name Zuckerberg in either script: killed after its
# first commit, the run filed no spellings; the next one skips those
# documents as unchanged and still files their names.
DB=$TMP/names
{
    echo '{"id":"zuck-en","body":"A statement from Zuckerberg on the plans."}'
    echo '{"id":"zuck-ar","body":"قال زوكربيرغ إن الخطط جاهزة"}'
    cat docs.jsonl
} >names.jsonl
rm -rf "$DB"
start_bg "$TMP/run" "$INDEXER" -d "$DB" -j 1 --batch "$BATCH" --no-progress names.jsonl
PID=$BG_PID
wait_for_docs "$DB" everyword "$PID"
kill -9 "$PID"
wait_bg "$PID"
assert_eq 137 "$BG_RC" "exit status of the killed indexer (names)"
assert_eq "zuck-en" "$("$SEARCH" -d "$DB" --format ids Zuckerberg)" "Zuckerberg before its names were filed"
assert_exit 0 "$INDEXER" -d "$DB" -j 1 --batch "$BATCH" --no-progress names.jsonl
assert_contains "$ERR" "filing them now" "the run that files the names of the killed one"
assert_eq "zuck-ar zuck-en" "$("$SEARCH" -d "$DB" --format ids Zuckerberg | sort | xargs)" \
    "Zuckerberg once the next run filed the names"
assert_exit 0 "$INDEXER" -d "$DB" -j 1 --batch "$BATCH" --no-progress names.jsonl
assert_not_contains "$ERR" "filing them now" "a run after a complete one"

echo "indexer_interrupt: ok"
