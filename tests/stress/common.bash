# common.bash - shared by the stress scripts, sourced after tests/e2e/lib.sh
# (named .bash, not .sh, so that running tests/stress/*.sh does not run it):
# reporting one line per attack, and counting documents without stopping the
# script (lib.sh's count_hits fails the whole script at the first problem,
# where an attack must go on and report).

STRESS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STRESS_FAILED=0

# report ATTACK ok|FAILED FIGURE: the attack's line on standard output.
report()
{
    printf '%s\t%s\t%s\n' "$1" "$2" "$3"
    [ "$2" == ok ] || STRESS_FAILED=1
}

# note MSG...: a detail for whoever reads the log (standard error).
note()
{
    printf '  %s: %s\n' "$(basename "$0" .sh)" "$*" >&2
}

# ids_of DB QUERY OUT: every id matching QUERY into OUT, one a line, paging
# through --format ids; fails (status 1) when a search exits with an error.
ids_of()
{
    local db=$1 query=$2 out=$3 offset=0 n
    : >"$out"
    while :; do
        "$SEARCH" -d "$db" --format ids -n 1000 --offset "$offset" "$query" >"$out.page" \
            2>"$out.err"
        [ $? -le 1 ] || return 1
        cat "$out.page" >>"$out"
        n=$(wc -l <"$out.page")
        [ "$n" -lt 1000 ] && break
        offset=$((offset + 1000))
    done
    return 0
}

# count_docs DB QUERY: "TOTAL UNIQUE" ids matching QUERY, or "error" when a
# search failed (TOTAL > UNIQUE: a document is listed twice).
count_docs()
{
    local f=$TMP/.count
    ids_of "$1" "$2" "$f" || { echo error; return 0; }
    echo "$(wc -l <"$f") $(sort -u "$f" | wc -l)"
}

# median: the median of the numbers on standard input.
median()
{
    sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else print v[int((NR + 1) / 2)] }'
}

# crashed STATUS ERRFILE: a status of a killed program (>= 128) or a sanitizer
# report in its standard error.
crashed()
{
    [ "$1" -ge 128 ] && return 0
    grep -q -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|Sanitizer' "$2" 2>/dev/null
}
