#!/usr/bin/env bash
# indexer_crash.sh - kill -9 the indexer at random moments of a ~50 MB build
# and of updates to the database it built, then run the same command again
# to completion: every time, the database must hold each document of the
# input exactly once (as many as there are distinct ids), the documents
# looked up must be found (replaced ones in their new version), and no
# leftover of the build may remain (DB.compacting, DB.shards, DB.stub-tmp).
# Between the kill and the re-run, searching the database must work too.
#   BUILD_DIR=build SOURCE_DIR=. tests/stress/indexer_crash.sh
#   STRESS_CRASH_MB (50): size of the corpus built
#   STRESS_CRASH_KILLS (20): kills, half during builds of a new database
#       (parallel writers, then the merge: a third of these aimed at the
#       merge), half during updates (one writer)
#   STRESS_SEED (1): seed of the kill moments
set -u
source "$(dirname "${BASH_SOURCE[0]}")/../e2e/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

MB=${STRESS_CRASH_MB:-50}
KILLS=${STRESS_CRASH_KILLS:-20}
RANDOM=${STRESS_SEED:-1}
cd "$TMP" || exit 2

# The corpus "s-0".."s-(N-1)"; the update replaces the first documents
# (new bodies with the word "variant1") and adds others from "s-1000000".
N=$("$PYTHON" "$STRESS_DIR/gen_corpus.py" corpus.jsonl "$MB") || exit 2
UPD_MB=$(awk -v m="$MB" 'BEGIN { v = m / 20; printf "%.2f", v < 0.5 ? 0.5 : v }')
R=$("$PYTHON" "$STRESS_DIR/gen_corpus.py" replaced.jsonl "$UPD_MB" --variant 1) || exit 2
A=$("$PYTHON" "$STRESS_DIR/gen_corpus.py" added.jsonl "$UPD_MB" --first 1000000) || exit 2
cat replaced.jsonl added.jsonl >update.jsonl
UPDATE_LINES=$((R + A))
[ "$R" -lt "$N" ] || { echo "the update replaces more documents than the corpus has" >&2; exit 2; }
DB=$TMP/db

ms() { date +%s%3N; }

# index FILE: run the indexer to completion; status in $RC, summary in $OUT.
index()
{
    run "$INDEXER" -d "$DB" --no-progress "$1"
}

# leftovers: what a finished run must not leave next to DB.
leftovers()
{
    local f left=""
    for f in "$DB".*; do
        [ -e "$f" ] && left+=" $(basename "$f")"
    done
    [ -d "$DB" ] || left+=" (db is not a directory)"
    echo "$left"
}

# check WHAT TOTAL REPLACED: the database after a completed re-run holds TOTAL
# documents once each, REPLACED of them in their new version, the sampled
# documents are found, and nothing is left over.  Problems into $PROBLEM.
check()
{
    local what=$1 total=$2 replaced=$3 got left id found
    PROBLEM=""
    left=$(leftovers)
    [ -z "$left" ] || PROBLEM+=" leftovers:$left;"
    got=$(count_docs "$DB" allstress)
    [ "$got" == "$total $total" ] || PROBLEM+=" allstress lists $got (total unique), expected $total;"
    if [ "$replaced" -gt 0 ]; then
        got=$(count_docs "$DB" variant1)
        [ "$got" == "$replaced $replaced" ] || PROBLEM+=" variant1 lists $got, expected $replaced;"
    fi
    for id in s-0 "s-$((N - 1))" "s-$((RANDOM % N))" "s-$((RANDOM % N))"; do
        found=$("$SEARCH" -d "$DB" --format ids -n 2 "id:$id" 2>&1)
        [ "$found" == "$id" ] || PROBLEM+=" id:$id gives '$found';"
        # its title, as a phrase
        found=$("$SEARCH" -d "$DB" --format ids -n 1000 "\"stress ${id#s-}\"" 2>&1)
        grep -qx -- "$id" <<<"$found" || PROBLEM+=" \"stress ${id#s-}\" misses $id;"
    done
    if [ "$replaced" -gt 0 ]; then
        found=$("$SEARCH" -d "$DB" --format ids -n 2 "id:s-0 variant1" 2>&1)
        [ "$found" == s-0 ] || PROBLEM+=" s-0 is not in its new version ('$found');"
        found=$("$SEARCH" -d "$DB" --format ids -n 2 "id:s-1000000" 2>&1)
        [ "$found" == s-1000000 ] || PROBLEM+=" s-1000000 was not added ('$found');"
    fi
    [ -z "$PROBLEM" ] || note "$what:$PROBLEM"
    [ -z "$PROBLEM" ]
}

# A first, uninterrupted build: its time bounds the kill moments.
rm -rf "$DB" "$DB".*
t0=$(ms)
index corpus.jsonl
BUILD_MS=$(($(ms) - t0))
if [ "$RC" != 0 ] || ! check "uninterrupted build" "$N" 0; then
    report "kill -9 during build ($KILLS)" FAILED "an uninterrupted build fails: $RC $OUT $ERR$PROBLEM"
    exit 1
fi
cp -a "$DB" "$TMP/built" # what each update starts from
# An uninterrupted update, likewise.
t0=$(ms)
index update.jsonl
UPDATE_MS=$(($(ms) - t0))
if [ "$RC" != 0 ] || ! check "uninterrupted update" "$((N + A))" "$R"; then
    report "kill -9 during build ($KILLS)" FAILED "an uninterrupted update fails: $RC $OUT $ERR$PROBLEM"
    exit 1
fi
note "corpus $MB MB, $N documents, built in $BUILD_MS ms; an update of $UPDATE_LINES documents in $UPDATE_MS ms"

recovered=0 finished_first=0 unreadable=0 failures=0
declare -A phases=([building]=0 [merging]=0 [updating]=0)
for ((k = 0; k < KILLS; k++)); do
    if ((k % 2 == 0)); then # an update of the database built by the previous round
        kind=update file=update.jsonl limit=$UPDATE_MS total=$((N + A)) replaced=$R
        rm -rf "$DB" "$DB".*
        cp -a "$TMP/built" "$DB"
    else
        kind=build file=corpus.jsonl limit=$BUILD_MS total=$N replaced=0
        rm -rf "$DB" "$DB".*
    fi
    # A third of the builds are killed during their final merge (rarely hit
    # at random, for it is short): once DB.compacting appears.
    aim_merge=0
    [ "$kind" == build ] && ((k % 6 == 5)) && aim_merge=1
    delay=$((RANDOM * 32768 + RANDOM))
    if [ "$aim_merge" == 1 ]; then
        delay=$((delay % (limit / 40 + 1))) # the merge takes some 4% of a build
    else
        delay=$((delay % (limit * 9 / 10 + 1)))
    fi
    start_bg "$TMP/killed" "$INDEXER" -d "$DB" --no-progress "$file"
    pid=$BG_PID
    if [ "$aim_merge" == 1 ]; then
        while alive "$pid" && [ ! -e "$DB.compacting" ]; do
            sleep 0.02
        done
    fi
    sleep "$(awk -v d="$delay" 'BEGIN { printf "%.3f", d / 1000 }')"
    if alive "$pid"; then
        if [ -e "$DB.compacting" ]; then
            phase=merging
        elif [ "$kind" == build ]; then
            phase=building
        else
            phase=updating
        fi
        kill -9 "$pid"
    else
        phase=finished
    fi
    wait_bg "$pid"
    if [ "$phase" == finished ] || [ "$BG_RC" != 137 ]; then
        finished_first=$((finished_first + 1))
        phase=finished
    else
        phases[$phase]=$((phases[$phase] + 1))
    fi
    # Searching between the kill and the re-run answers (0 or 1), or says
    # there is no database yet when the kill came before the first commit.
    run "$SEARCH" -d "$DB" --format ids -n 1 allstress
    if [ "$RC" -gt 1 ] && { [ -e "$DB" ] || [ "$kind" == update ]; }; then
        unreadable=$((unreadable + 1))
        note "round $k ($kind, killed $phase after $delay ms): search exits $RC: $ERR"
    fi
    t0=$(ms)
    index "$file"
    rerun_ms=$(($(ms) - t0))
    # How long a whole run takes now (other work on the machine changes
    # it): the killed run's own time when it finished first, else the time
    # before the kill and the re-run's together.
    if [ "$aim_merge" == 0 ]; then
        if [ "$phase" == finished ]; then
            took=$(sed -n '1s/.* in \([0-9.]*\) s: .*/\1/p' "$TMP/killed.out")
            took=$(awk -v t="${took:-0}" 'BEGIN { printf "%d", t * 1000 }')
        else
            took=$((delay + rerun_ms))
        fi
        if [ "$took" -gt 0 ]; then
            [ "$kind" == build ] && BUILD_MS=$took || UPDATE_MS=$took
        fi
    fi
    counts=$(summary_counts "$OUT")
    read -r added _ repl _ unch _ <<<"${counts//,/}"
    if [ "$RC" != 0 ]; then
        note "round $k ($kind, killed $phase after $delay ms): the re-run exits $RC: $OUT $ERR"
        failures=$((failures + 1))
    elif [ "$((added + repl + unch))" != "$([ "$kind" == build ] && echo "$N" || echo "$UPDATE_LINES")" ]; then
        note "round $k ($kind, killed $phase after $delay ms): the re-run's summary: $counts"
        failures=$((failures + 1))
    elif ! check "round $k ($kind, killed $phase after $delay ms)" "$total" "$replaced"; then
        failures=$((failures + 1))
    else
        recovered=$((recovered + 1))
    fi
done

figure="$recovered/$KILLS recovered ($N docs built, $((N + A)) after updates); killed while"
figure+=" building ${phases[building]}, merging ${phases[merging]}, updating ${phases[updating]},"
figure+=" finished first $finished_first"
[ "$unreadable" == 0 ] || figure+="; $unreadable unreadable between kill and re-run"
outcome=ok
[ "$recovered" == "$KILLS" ] && [ "$unreadable" == 0 ] || outcome=FAILED
report "kill -9 during build ($KILLS)" "$outcome" "$figure"
exit "$STRESS_FAILED"
