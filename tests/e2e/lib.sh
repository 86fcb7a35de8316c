# lib.sh - shared helpers for the end-to-end tests (sourced, not run).
#
# ctest sets BUILD_DIR (where `indexer` and `search` are built) and
# SOURCE_DIR (the project root).  Every script gets:
#   TMP              a fresh temporary directory, removed on exit
#   INDEXER, SEARCH  the programs under test
#   fail MSG...      print "FAIL: MSG" and exit 1
#   assert_eq EXPECTED ACTUAL [WHAT]
#   assert_contains HAYSTACK NEEDLE [WHAT]   (fixed string)
#   assert_not_contains HAYSTACK NEEDLE [WHAT]
#   assert_exit CODE CMD...  run CMD, check its exit status; leaves its
#                            output in $OUT and $ERR (trailing newlines cut)
#   run CMD...               the same without the check: status in $RC
#   json_eval EXPR           a Python expression over JSON on stdin (as d)
#   is_utf8                  succeeds when stdin is valid UTF-8
# and helpers for driving the indexer (summary_counts, summary_count,
# count_hits, gen_jsonl, start_bg, wait_bg, alive, wait_for_docs) and searchd
# (start_searchd, start_searchd_with), and mount_small_disk for a disk that fills.

set -u
export LC_ALL=C # byte-wise sort and grep; the programs must not care

if [ -z "${SOURCE_DIR:-}" ]; then
    SOURCE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
fi
if [ -z "${BUILD_DIR:-}" ]; then
    echo "FAIL: BUILD_DIR is not set (run through ctest, or export BUILD_DIR=path/to/build)" >&2
    exit 1
fi
INDEXER=$BUILD_DIR/indexer
SEARCH=$BUILD_DIR/search
for _p in "$INDEXER" "$SEARCH"; do
    [ -x "$_p" ] || { echo "FAIL: $_p is not built" >&2; exit 1; }
done
unset _p
# The programs must not pick up a database from the environment by accident.
unset FIHRIS_DB NO_COLOR

TMP=$(mktemp -d "${TMPDIR:-/tmp}/fihris-e2e.XXXXXX") || { echo "FAIL: mktemp" >&2; exit 1; }
BG_PIDS=()
# Nothing may touch the real default database (~/.local/share/fihris/db).
export HOME=$TMP/home

_cleanup()
{
    local p
    for p in "${BG_PIDS[@]+"${BG_PIDS[@]}"}"; do
        kill -9 "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    chmod -R u+rwX "$TMP" 2>/dev/null
    rm -rf "$TMP"
}
trap _cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# Also works inside $(...): the subshell tells the script to stop.
fail()
{
    echo "FAIL: $*" >&2
    [ "$BASHPID" != "$$" ] && kill -USR1 "$$"
    exit 1
}
trap 'exit 1' USR1

assert_eq()
{
    [ "$1" == "$2" ] && return 0
    fail "${3:-values differ}
  expected: $(printf '%q' "$1")
  got:      $(printf '%q' "$2")"
}

assert_contains()
{
    case "$1" in
    *"$2"*) return 0 ;;
    esac
    fail "${3:-output lacks an expected string}
  expected to contain: $2
  in: $1"
}

assert_not_contains()
{
    case "$1" in
    *"$2"*) fail "${3:-output holds an unexpected string}
  expected NOT to contain: $2
  in: $1" ;;
    esac
    return 0
}

# run CMD...: run it with stdout and stderr captured in $OUT and $ERR.
run()
{
    "$@" >"$TMP/.out" 2>"$TMP/.err"
    RC=$?
    OUT=$(cat "$TMP/.out")
    ERR=$(cat "$TMP/.err")
    return 0
}

assert_exit()
{
    local want=$1
    shift
    run "$@"
    [ "$RC" == "$want" ] && return 0
    fail "exit status $RC, expected $want: $(printf '%q ' "$@")
  stdout: $OUT
  stderr: $ERR"
}

# ---- indexer helpers ----

# The counts of an indexer summary (its first line, after "... s: "), e.g.
# "5 added, 0 replaced, 0 unchanged, 0 skipped, 0 failed".
summary_counts()
{
    printf '%s\n' "$1" | sed -n '1{s/^.* s: //;p;}'
}

# One count ("files", "added", "unchanged", "warnings", ...) from an indexer
# summary; empty when the summary does not mention it.
summary_count()
{
    printf ' %s\n' "$1" | sed -n "1{s/.* \\([0-9][0-9]*\\) $2\\([, ].*\\)\\{0,1\\}\$/\\1/p;}"
}

# count_hits DB QUERY: the exact number of distinct documents matching QUERY,
# paging through --format ids (-n is capped at 1000).  Fails on duplicates.
count_hits()
{
    local db=$1 query=$2 offset=0 n rc all="$TMP/.ids" page="$TMP/.page"
    : >"$all"
    while :; do
        "$SEARCH" -d "$db" --format ids -n 1000 --offset "$offset" "$query" >"$page" 2>"$TMP/.cerr"
        rc=$?
        [ "$rc" -le 1 ] || fail "search -d $db --offset $offset $query exited $rc: $(cat "$TMP/.cerr")"
        cat "$page" >>"$all"
        n=$(wc -l <"$page")
        [ "$n" -lt 1000 ] && break
        offset=$((offset + 1000))
    done
    local total unique
    total=$(wc -l <"$all")
    unique=$(sort -u "$all" | wc -l)
    [ "$total" == "$unique" ] || fail "search $query lists $((total - unique)) documents twice"
    echo "$total"
}

# gen_jsonl FILE N [PREFIX]: N documents "PREFIX-i" (default "gen"), each with
# the word "everyword" and twenty words "w<number>" in its body.
gen_jsonl()
{
    awk -v n="$2" -v p="${3:-gen}" 'BEGIN {
        for (i = 0; i < n; i++) {
            b = "everyword"
            for (k = 1; k <= 20; k++)
                b = b " w" ((i * 31 + k * 7919) % 4999)
            printf "{\"id\":\"%s-%d\",\"title\":\"Generated %d\",\"body\":\"%s\"}\n", p, i, i, b
        }
    }' >"$1"
}

# start_bg LOG CMD...: run CMD in the background (stdout to LOG.out, stderr to
# LOG.err); its pid in $BG_PID.  Killed at exit unless reaped with wait_bg.
start_bg()
{
    local log=$1
    shift
    # Emptied here, not only by the child's redirections: a caller that reads
    # LOG right after (start_searchd) must never see a previous run's lines.
    : >"$log.out"
    : >"$log.err"
    "$@" >"$log.out" 2>"$log.err" &
    BG_PID=$!
    BG_PIDS+=("$BG_PID")
}

# wait_bg PID: wait for a process started by start_bg; its status in $BG_RC.
wait_bg()
{
    local p rest=()
    wait "$1" 2>/dev/null # no "Killed" notice from bash
    BG_RC=$?
    for p in "${BG_PIDS[@]+"${BG_PIDS[@]}"}"; do
        [ "$p" == "$1" ] || rest+=("$p")
    done
    BG_PIDS=("${rest[@]+"${rest[@]}"}")
}

# alive PID: the process is running (an exited, unreaped child is a zombie,
# which kill -0 still finds).
alive()
{
    kill -0 "$1" 2>/dev/null || return 1
    [ -r "/proc/$1/stat" ] || return 0
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [ "${stat%% *}" != Z ]
}

# wait_for_docs DB QUERY PID: poll until a search of DB finds QUERY (i.e. the
# indexer PID has committed a batch); fails if PID exits first or after 60 s.
wait_for_docs()
{
    local db=$1 query=$2 pid=$3 i
    for ((i = 0; i < 1200; i++)); do
        "$SEARCH" -d "$db" --format ids -n 1 "$query" >/dev/null 2>&1 && return 0
        alive "$pid" || fail "the indexer (pid $pid) ended before its first commit: $(cat "$TMP"/*.err 2>/dev/null)"
        sleep 0.05
    done
    fail "no document of $db became searchable within 60 s"
}

# mount_small_disk SIZE [WHAT]: a tmpfs of SIZE (e.g. 16m) at $DISK
# ($TMP/disk), unmounted at exit; without root the test ends skipped (77),
# WHAT saying which part of it is skipped.
mount_small_disk()
{
    DISK=$TMP/disk
    mkdir "$DISK" || fail "mkdir $DISK"
    if ! mount -t tmpfs -o "size=$1" tmpfs "$DISK" 2>/dev/null; then
        echo "SKIP: ${2:+$2: }cannot mount a tmpfs here (needs root)"
        exit 77
    fi
    trap 'umount "$DISK" 2>/dev/null; _cleanup' EXIT
}

# ---- searchd helpers ----

# start_searchd ARGS...: start $SEARCHD on database $DB on a free loopback
# port; $BASE is its URL, $SEARCHD_PID its pid, $TMP/searchd.err its log.
# Its writes run at the priority of its searches (--write-nice 0): the
# tests run side by side, keeping the processors busy, and what they check
# of a write is what it does, not how it yields (the benchmark measures that).
# start_searchd_with ARGS...: the same with ARGS alone (a --config FILE
# saying where to listen: on 127.0.0.1, port 0).
SEARCHD=$BUILD_DIR/searchd
start_searchd()
{
    start_searchd_with -d "$DB" --listen 127.0.0.1:0 --threads 2 --write-nice 0 "$@"
}

start_searchd_with()
{
    [ -x "$SEARCHD" ] || fail "$SEARCHD is not built"
    start_bg "$TMP/searchd" "$SEARCHD" "$@"
    SEARCHD_PID=$BG_PID
    local i port=""
    for ((i = 0; i < 200; i++)); do
        port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$TMP/searchd.err")
        [ -n "$port" ] && break
        alive "$SEARCHD_PID" || fail "searchd did not start: $(cat "$TMP/searchd.err")"
        sleep 0.05
    done
    [ -n "$port" ] || fail "searchd did not say where it listens"
    BASE=http://127.0.0.1:$port
}

# Python, for checking JSON and UTF-8.  Resolved once: a version-manager shim
# (pyenv, asdf) on PATH can take most of a second per call.
if [ -x /usr/bin/python3 ]; then
    PYTHON=/usr/bin/python3
else
    PYTHON=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null) || PYTHON=python3
fi

# call METHOD PATH [CURL ARGS...]: ask searchd (at $BASE, see start_searchd);
# the body in $BODY, the status in $STATUS, the headers in $HEADERS.
call()
{
    local method=$1 path=$2
    shift 2
    BODY=$(curl -s -o - -D "$TMP/headers" -w '\n%{http_code}' -X "$method" "$@" "$BASE$path") ||
        fail "curl -X $method $path failed"
    STATUS=${BODY##*$'\n'}
    BODY=${BODY%$'\n'*}
    HEADERS=$(tr -d '\r' <"$TMP/headers")
}

# is_utf8: succeeds when standard input is valid UTF-8.
is_utf8()
{
    "$PYTHON" -c 'import sys; sys.stdin.buffer.read().decode("utf-8")' 2>/dev/null
}

# json_eval EXPR: evaluate a Python expression over the JSON document read
# from standard input (bound to `d`) and print the result; fails when the
# input is not valid JSON.
json_eval()
{
    PYTHONIOENCODING=utf-8 "$PYTHON" -c '
import json, sys
try:
    d = json.load(sys.stdin)
except ValueError as e:
    sys.exit("not valid JSON: %s" % e)
r = eval("(" + sys.argv[1] + "\n)")
print(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False))
' "$1" || fail "json_eval $1 failed"
}
