#!/usr/bin/env bash
# reader_fuzz.sh - the readers over a few thousand mutated JSONL, HTML,
# Markdown and text files (tests/stress/mutate.py: the fixtures and corpus/
# with bytes flipped, cut, NULs, invalid UTF-8, BOMs, huge lines, deep
# nesting, unterminated tags, broken JSON), indexed in batches by the indexer
# built with AddressSanitizer and UndefinedBehaviorSanitizer: every run exits
# 0 or 1 (never a crash, a sanitizer report or a hang), every line it writes
# on standard error is one message naming a file of the batch, and searching
# the result works.  A batch that crashes is retried file by file to name
# the culprit.
#   BUILD_DIR=build SOURCE_DIR=. tests/stress/reader_fuzz.sh
#   ASAN_BUILD_DIR (SOURCE_DIR/build-asan): the sanitized build; configured
#       with -DFIHRIS_SANITIZE=ON and its indexer and search built when
#       missing (a few minutes), brought up to date otherwise
#   STRESS_FUZZ_FILES (3000), STRESS_FUZZ_BATCH (100), STRESS_SEED (1)
set -u
source "$(dirname "${BASH_SOURCE[0]}")/../e2e/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"

FILES=${STRESS_FUZZ_FILES:-3000}
BATCH=${STRESS_FUZZ_BATCH:-100}
SEED=${STRESS_SEED:-1}
ASAN_BUILD_DIR=${ASAN_BUILD_DIR:-$SOURCE_DIR/build-asan}
BATCH_TIMEOUT=300 # seconds: a sanitized run over a batch takes a few
ATTACK="reader fuzz, sanitized ($FILES files)"

if [ ! -f "$ASAN_BUILD_DIR/CMakeCache.txt" ]; then
    note "configuring the sanitized build in $ASAN_BUILD_DIR"
    cmake -S "$SOURCE_DIR" -B "$ASAN_BUILD_DIR" -DCMAKE_BUILD_TYPE=Debug -DFIHRIS_SANITIZE=ON \
        >"$TMP/cmake.log" 2>&1
fi
if ! grep -q '^FIHRIS_SANITIZE:BOOL=ON' "$ASAN_BUILD_DIR/CMakeCache.txt" 2>/dev/null; then
    report "$ATTACK" FAILED "$ASAN_BUILD_DIR is not a -DFIHRIS_SANITIZE=ON build"
    exit 1
fi
if ! cmake --build "$ASAN_BUILD_DIR" -j 2 --target indexer search >"$TMP/build.log" 2>&1; then
    report "$ATTACK" FAILED "cannot build the sanitized indexer: $(grep -m 3 -i error "$TMP/build.log" | tr '\n' ' ')"
    exit 1
fi
AINDEXER=$ASAN_BUILD_DIR/indexer
ASEARCH=$ASAN_BUILD_DIR/search
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:abort_on_error=1

cd "$TMP" || exit 2
bytes=$("$PYTHON" "$STRESS_DIR/mutate.py" fuzz "$FILES" "$BATCH" "$SEED" \
    "$SOURCE_DIR"/tests/fixtures/reader/* "$SOURCE_DIR"/tests/fixtures/news/*.jsonl \
    "$SOURCE_DIR"/corpus/*) || exit 2
DB=$TMP/db

# index_run OUT TIMEOUT PATH...: the sanitized indexer over PATH into $DB;
# status in $RC, standard error in OUT.err, standard output in OUT.out.
index_run()
{
    local out=$1 limit=$2
    shift 2
    timeout -k 5 "$limit" "$AINDEXER" -d "$DB" --no-progress "$@" >"$out.out" 2>"$out.err"
    RC=$?
}

# verdict OUT: "" when the run ended as it must, else what went wrong.
verdict()
{
    if [ "$RC" == 124 ] || [ "$RC" == 137 ]; then
        echo "hang"
    elif crashed "$RC" "$1.err"; then
        echo "crash"
    elif [ "$RC" != 0 ] && [ "$RC" != 1 ]; then
        echo "exit $RC"
    fi
}

added=0 breaks=0 runs=0 crashes=0 hangs=0 bad_exits=0 stray=0 culprits="" stray_examples=""
for dir in fuzz/b*; do
    runs=$((runs + 1))
    index_run "$TMP/run" "$BATCH_TIMEOUT" "$dir"
    what=$(verdict "$TMP/run")
    if [ -n "$what" ]; then
        case $what in
        hang) hangs=$((hangs + 1)) ;;
        crash) crashes=$((crashes + 1)) ;;
        *) bad_exits=$((bad_exits + 1)) ;;
        esac
        note "$dir: $what: $(grep -m 3 -E 'ERROR|runtime error|SUMMARY' "$TMP/run.err" | tr '\n' ' ')"
        # one file at a time, on a copy of the database, to name the culprit
        cp -a "$DB" "$TMP/db.saved" 2>/dev/null
        for f in "$dir"/*; do
            index_run "$TMP/one" 60 "$f"
            w=$(verdict "$TMP/one")
            if [ -n "$w" ]; then
                culprits+=" $(basename "$f") ($w)"
                cp "$f" "$TMP/../fihris-fuzz-$(basename "$f")" 2>/dev/null &&
                    note "kept $(dirname "$TMP")/fihris-fuzz-$(basename "$f"): $AINDEXER -d /tmp/x --no-progress $(dirname "$TMP")/fihris-fuzz-$(basename "$f")"
            fi
        done
        rm -rf "$DB" && mv "$TMP/db.saved" "$DB" 2>/dev/null
    fi
    # Every line: "indexer: KIND: FILE[:LINE]: message", FILE one of the batch.
    read -r n nb ex < <("$PYTHON" - "$TMP/run.err" "$dir" <<'PY'
import os, re, sys
data = open(sys.argv[1], "rb").read()
try:
    text = data.decode("utf-8")
    bad = []
except UnicodeDecodeError:
    text, bad = data.decode("utf-8", "replace"), ["(invalid UTF-8)"]
nbreak = 0
pat = re.compile(r"indexer: (warning|failed|skipped): (.+?)(:[0-9]+)?: .+")
# what breaks a line or drives a terminal: C0 and C1 controls, U+2028, U+2029
breaks = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
for line in text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"):
    m = pat.fullmatch(line)
    if not m or not os.path.isfile(m.group(2)) or os.path.dirname(m.group(2)) != sys.argv[2]:
        bad.append(ascii(line[:120]))
    elif breaks.search(line):
        nbreak += 1
        bad.append("a line break or control character in " + ascii(line[:120]))
print(len(bad) - nbreak, nbreak, " | ".join(bad[:2]) if bad else "")
PY
    )
    stray=$((stray + n))
    breaks=$((breaks + nb))
    [ "$((n + nb))" == 0 ] || [ "${#stray_examples}" -gt 600 ] || stray_examples+=" [$dir] $ex"
    added=$((added + $(summary_count "$(cat "$TMP/run.out")" added || echo 0)))
done

figure="$FILES files mutated ($((bytes / 1000000)) MB), $runs runs, $crashes crashes, $hangs hangs, $bad_exits other exit statuses"
[ -z "$culprits" ] || figure+=":$culprits"
if [ $((crashes + hangs + bad_exits)) == 0 ]; then
    report "$ATTACK" ok "$figure"
else
    report "$ATTACK" FAILED "$figure"
fi
if [ "$((stray + breaks))" == 0 ]; then
    report "reader fuzz: messages name their file" ok "every stderr line of $runs runs is 'indexer: KIND: FILE: message'"
else
    report "reader fuzz: messages name their file" FAILED "$stray lines not a message naming a file of the batch, $breaks messages holding a line break or control character; e.g.$stray_examples"
fi

# Searching what was indexed: every query answers (0 or 1) with valid UTF-8,
# JSON output parses, and the sanitizers say nothing.
queries=(alpha الذكاء "الذكاء الاصطناعي" Zuckerberg زوكربيرغ 'زوكر*' OpenAI 2025 '"code line"'
    paragraph 'title:ملاحظات' 'lang:ar' 'lang:en الذكاء' 'kw OR x' 'ميتا -OpenAI' deep dup
    'a NEAR/3 b' '=word' 'كلمة')
answered=0 bad=""
for q in "${queries[@]}"; do
    for fmt in json text; do
        timeout -k 5 60 "$ASEARCH" -d "$DB" --format "$fmt" -n 50 "$q" >"$TMP/q.out" 2>"$TMP/q.err"
        RC=$?
        w=$(verdict "$TMP/q")
        if [ -n "$w" ]; then
            bad+=" '$q' ($fmt): $w $(head -c 200 "$TMP/q.err");"
        elif ! is_utf8 <"$TMP/q.out"; then
            bad+=" '$q' ($fmt): output is not UTF-8;"
        elif [ "$fmt" == json ] && ! "$PYTHON" -c 'import json, sys; json.load(sys.stdin)' <"$TMP/q.out" 2>/dev/null; then
            bad+=" '$q': output is not JSON;"
        else
            answered=$((answered + 1))
        fi
    done
done
if [ -z "$bad" ]; then
    report "reader fuzz: search over the result" ok "$answered/$((2 * ${#queries[@]})) searches answered over $added documents added"
else
    report "reader fuzz: search over the result" FAILED "$bad"
fi
exit "$STRESS_FAILED"
