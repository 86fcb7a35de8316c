#!/usr/bin/env bash
# indexer_bad_input.sh - problems with individual files are reported, counted
# and survived: invalid UTF-8, binary, empty, unreadable and unsupported files,
# malformed JSON lines, oversized terms, missing paths.
set -u
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$TMP" || fail "cd $TMP"

# ids DB QUERY: the ids that answer QUERY, one a line.
ids()
{
    "$SEARCH" -d "$1" --format ids -n 100 "$2"
}

# assert_line TEXT REGEX WHAT: some line of TEXT matches the extended REGEX.
assert_line()
{
    printf '%s\n' "$1" | grep -Eq -- "$2" && return 0
    fail "$3
  expected a line matching: $2
  in: $1"
}

# reason_total SUMMARY KIND REGEX: the sum of the counts of the summary's
# reason lines "  KIND: <reason> (N)" whose reason matches REGEX.
reason_total()
{
    printf '%s\n' "$1" | grep -E "^  $2: " | grep -E -- "$3" |
        sed -n 's/.*(\([0-9][0-9]*\))$/\1/p' | awk '{ s += $1 } END { print s + 0 }'
}

ROOT=0
[ "$(id -u)" == 0 ] && ROOT=1

REPLACEMENT=$'\xef\xbf\xbd' # U+FFFD

# ---- each problem on its own ----

# Invalid UTF-8 in a text file: a warning naming the file, the document kept.
mkdir t1
printf 'Broken bytes\n\nbody with bad \xff\xfe bytes then snailword\n' >t1/bad.txt
assert_exit 0 "$INDEXER" -d db1 t1/bad.txt
assert_eq "1 added, 0 replaced, 0 unchanged, 0 skipped, 0 failed, 1 warnings" \
    "$(summary_counts "$OUT")" "summary for a .txt with invalid UTF-8"
assert_line "$ERR" "warning: t1/bad\.txt: .*invalid UTF-8" "warning for a .txt with invalid UTF-8"
assert_eq "$PWD/t1/bad.txt" "$(ids db1 snailword)" "a .txt with invalid UTF-8 is still indexed"
run "$SEARCH" -d db1 snailword
printf '%s' "$OUT" | is_utf8 || fail "search output for a repaired document is not valid UTF-8: $OUT"
assert_contains "$OUT" "$REPLACEMENT" "invalid bytes are shown as U+FFFD in the snippet"

# Invalid UTF-8 on one JSONL line: a warning with file:line, the line kept.
mkdir t2
printf '%s\n' '{"id":"u1","title":"U one","body":"a clean line lemurword"}' >t2/u.jsonl
printf '{"id":"u2","title":"U two","body":"bad \xc3\x28 bytes ibexword"}\n' >>t2/u.jsonl
assert_exit 0 "$INDEXER" -d db2 t2/u.jsonl
assert_eq "2 added, 0 replaced, 0 unchanged, 0 skipped, 0 failed, 1 warnings" \
    "$(summary_counts "$OUT")" "summary for a JSONL line with invalid UTF-8"
assert_line "$ERR" "warning: t2/u\.jsonl:2: .*invalid UTF-8" "warning for a JSONL line with invalid UTF-8"
assert_eq "u1" "$(ids db2 lemurword)" "the clean JSONL line"
assert_eq "u2" "$(ids db2 ibexword)" "the JSONL line with invalid UTF-8 is still indexed"
SUMMARY_UTF8_JSONL=$OUT

# A binary file with a supported name: skipped.
mkdir t3
printf 'GIF89a\0\0\1\2\3\4binary\0data\377\376' >t3/image.txt
assert_exit 0 "$INDEXER" -d db3 t3/image.txt
assert_eq "0 added, 0 replaced, 0 unchanged, 1 skipped, 0 failed" "$(summary_counts "$OUT")" \
    "summary for a binary file"
assert_line "$ERR" "^indexer: skipped: t3/image\.txt: binary file$" "notice for a binary file"
assert_line "$OUT" "^  skipped: binary file \(1\)$" "reason for a binary file"

# Empty files (no bytes, only white space, an empty JSONL): skipped.
mkdir t4
: >t4/empty.txt
printf ' \n\t\n\n' >t4/blank.md
: >t4/none.jsonl
assert_exit 0 "$INDEXER" -d db4 t4
assert_eq "0 added, 0 replaced, 0 unchanged, 3 skipped, 0 failed" "$(summary_counts "$OUT")" \
    "summary for empty files"
assert_eq 3 "$(summary_count "$OUT" files)" "files counted for empty files"
for f in t4/blank.md t4/empty.txt t4/none.jsonl; do
    assert_line "$ERR" "^indexer: skipped: ${f//./\\.}: empty file$" "notice for empty $f"
done
assert_line "$OUT" "^  skipped: empty file \(3\)$" "reason for empty files"

# An unreadable file: failed (root reads anything, so only as another user).
if [ "$ROOT" == 1 ]; then
    echo "note: running as root; the unreadable-file check is skipped"
else
    mkdir t5
    printf 'Secret\n\nsecretword\n' >t5/secret.txt
    chmod 000 t5/secret.txt
    assert_exit 1 "$INDEXER" -d db5 t5/secret.txt
    assert_eq "0 added, 0 replaced, 0 unchanged, 0 skipped, 1 failed" "$(summary_counts "$OUT")" \
        "summary for an unreadable file"
    assert_line "$ERR" "^indexer: failed: t5/secret\.txt: permission denied$" "notice for an unreadable file"
    assert_line "$OUT" "^  failed: permission denied \(1\)$" "reason for an unreadable file"
fi

# A malformed JSON line: reported with its (physical) line number; the other
# lines of the file are indexed; exit status 1.
mkdir t6
printf '%s\n' '{"id":"m1","title":"M one","body":"first okapiword"}' '' \
    '{"id":"m2","title": broken' '{"id":"m3","title":"M three","body":"fourth tapirword"}' >t6/mal.jsonl
assert_exit 1 "$INDEXER" -d db6 t6/mal.jsonl
assert_eq "2 added, 0 replaced, 0 unchanged, 0 skipped, 1 failed" "$(summary_counts "$OUT")" \
    "summary for a file with a malformed JSON line"
assert_line "$ERR" "^indexer: failed: t6/mal\.jsonl:3: .*invalid JSON" "notice for a malformed JSON line"
assert_eq "m1" "$(ids db6 okapiword)" "the line before the malformed one"
assert_eq "m3" "$(ids db6 tapirword)" "the line after the malformed one"
SUMMARY_MALFORMED=$OUT

# A huge term: the document is indexed, the term dropped and counted.
mkdir t7
HUGE=$(printf 'x%.0s' $(seq 1000))
printf 'Huge word\n\n%s yakword\n' "$HUGE" >t7/huge.txt
assert_exit 0 "$INDEXER" -d db7 t7/huge.txt
assert_line "$OUT" "^1 files, .*: 1 added, 0 replaced, 0 unchanged, 0 skipped, 0 failed, [1-9][0-9]* oversized terms dropped$" \
    "summary for a huge term"
assert_eq "$PWD/t7/huge.txt" "$(ids db7 yakword)" "a document with a huge term is indexed"
assert_exit 1 "$SEARCH" -d db7 --format ids "$HUGE"

# A path that does not exist: reported, counted as failed.
assert_exit 1 "$INDEXER" -d db8 no/such/path.txt
assert_eq "0 added, 0 replaced, 0 unchanged, 0 skipped, 1 failed" "$(summary_counts "$OUT")" \
    "summary for a missing path"
assert_line "$ERR" "^indexer: failed: no/such/path\.txt: no such file or directory$" "notice for a missing path"
assert_line "$OUT" "^  failed: no such file or directory \(1\)$" "reason for a missing path"

# An unsupported file type: skipped and counted.
mkdir t9
printf 'not a document format\n' >t9/notes.pdf
assert_exit 0 "$INDEXER" -d db9 t9
assert_eq "0 added, 0 replaced, 0 unchanged, 1 skipped, 0 failed" "$(summary_counts "$OUT")" \
    "summary for an unsupported file type"
assert_eq 1 "$(summary_count "$OUT" files)" "an unsupported file is counted as a file"
assert_line "$ERR" "^indexer: skipped: t9/notes\.pdf: unsupported file type$" "notice for an unsupported file"
assert_line "$OUT" "^  skipped: unsupported file type \(1\)$" "reason for an unsupported file"

# ---- everything at once, with good documents among them ----
mkdir all
cp t1/bad.txt t2/u.jsonl t3/image.txt t4/empty.txt t6/mal.jsonl t7/huge.txt t9/notes.pdf all/
printf '# Good one\n\nA perfectly fine gazellework document.\n' >all/good.md
files=8 failed=2
if [ "$ROOT" == 0 ]; then
    printf 'Secret\n\nsecretword\n' >all/secret.txt
    chmod 000 all/secret.txt
    files=9 failed=3
fi
assert_exit 1 "$INDEXER" -d dball all missing-dir
assert_eq "$files" "$(summary_count "$OUT" files)" "files in the mixed run"
assert_eq "7 added, 0 replaced, 0 unchanged, 3 skipped, $failed failed, 2 warnings" \
    "$(summary_counts "$OUT" | sed 's/, [0-9]* oversized terms dropped$//')" "summary of the mixed run"
assert_line "$OUT" ", [1-9][0-9]* oversized terms dropped$" "oversized terms in the mixed run"
assert_line "$OUT" "^  skipped: binary file \(1\)$" "binary reason in the mixed run"
assert_line "$OUT" "^  skipped: empty file \(1\)$" "empty reason in the mixed run"
assert_line "$OUT" "^  skipped: unsupported file type \(1\)$" "unsupported reason in the mixed run"
assert_line "$OUT" "^  failed: no such file or directory \(1\)$" "missing reason in the mixed run"
assert_line "$ERR" "^indexer: failed: missing-dir: no such file or directory$" "missing path in the mixed run"
SUMMARY_MIXED=$OUT
if [ "$ROOT" == 0 ]; then
    assert_line "$OUT" "^  failed: permission denied \(1\)$" "unreadable reason in the mixed run"
fi

# The database opens and answers afterwards.
assert_eq "$PWD/all/bad.txt" "$(ids dball snailword)" "mixed run: repaired .txt"
assert_eq "u2" "$(ids dball ibexword)" "mixed run: repaired JSONL line"
assert_eq "m1" "$(ids dball okapiword)" "mixed run: line before the malformed one"
assert_eq "m3" "$(ids dball tapirword)" "mixed run: line after the malformed one"
assert_eq "$PWD/all/huge.txt" "$(ids dball yakword)" "mixed run: huge term document"
assert_eq "$PWD/all/good.md" "$(ids dball gazellework)" "mixed run: good document"
assert_exit 1 "$SEARCH" -d dball --format ids binary
assert_exit 1 "$SEARCH" -d dball --format ids secretword
assert_exit 0 "$SEARCH" -d dball --format json document
printf '%s' "$OUT" | json_eval 'd["total"]' >/dev/null

# A second run changes nothing and reports the same problems.
assert_exit 1 "$INDEXER" -d dball all missing-dir
assert_eq "0 added, 0 replaced, 7 unchanged, 3 skipped, $failed failed, 2 warnings" \
    "$(summary_counts "$OUT" | sed 's/, [0-9]* oversized terms dropped$//')" "summary of the mixed re-run"

# ---- byte order marks and charsets libxml2 cannot read ----
# A file of a byte order mark (and white space) is empty; a page declaring
# a charset it is not written in is read as UTF-8, and each of these files
# gets one line on standard error, never libxml2's own messages.
mkdir boms
printf '\357\273\277' >boms/utf8.txt
printf '\376\377' >boms/utf16be.html
printf '\377\376 \000\n\000' >boms/utf16le-blank.html
printf '\377\376' >boms/utf16le.jsonl
printf '<html><head><meta charset="utf-32"></head><body><p>Plain quaggaword.</p></body></html>' \
    >boms/declares-utf32.html
printf '<?xml version="1.0" encoding="EBCDIC-US"?><html><head><meta charset="EBCDIC-US"></head><body><p>Plain ebcdicword.</p></body></html>' \
    >boms/declares-ebcdic.html
assert_exit 0 "$INDEXER" -d dbbom boms
assert_eq "2 added, 0 replaced, 0 unchanged, 4 skipped, 0 failed, 2 warnings" "$(summary_counts "$OUT")" \
    "byte order marks and charsets: summary"
assert_eq 6 "$(printf '%s\n' "$ERR" | wc -l)" "one line a file: $ERR"
for f in utf8.txt utf16be.html utf16le-blank.html utf16le.jsonl; do
    assert_line "$ERR" "^indexer: skipped: boms/$f: empty file$" "$f is empty"
done
assert_line "$ERR" '^indexer: warning: boms/declares-utf32.html: charset "utf-32" could not be read \(.*\); read as UTF-8$' \
    "the UTF-32 page's warning"
assert_line "$ERR" '^indexer: warning: boms/declares-ebcdic.html: charset "EBCDIC-US" could not be read \(.*\); read as UTF-8$' \
    "the EBCDIC page's warning"
assert_eq "$PWD/boms/declares-utf32.html" "$(ids dbbom quaggaword)" "the UTF-32 page's text"
assert_eq "$PWD/boms/declares-ebcdic.html" "$(ids dbbom ebcdicword)" "the EBCDIC page's text"

# ---- every notice is one line ----
# A message quoting a file's content (a JSONL line with U+2028 or NEL) or a
# file name holding a line break is still one line on standard error.
mkdir lines
printf '{"id":"a","body":"b"}\342\200\250x\n{"id":"c","body":"d"}\302\205y\n' >lines/seps.jsonl
printf 'text' >"lines/two
lines.pdf"
assert_exit 1 "$INDEXER" -d dblines lines
assert_eq 3 "$(printf '%s\n' "$ERR" | wc -l)" "one line a notice: $ERR"
assert_line "$ERR" '^indexer: failed: lines/seps\.jsonl:1: invalid JSON: ' "U+2028 in a quoted line"
assert_line "$ERR" '^indexer: skipped: lines/two lines\.pdf: unsupported file type$' "a line break in a name"
assert_eq 0 "$(printf '%s' "$ERR" | grep -c $'\xe2\x80\xa8\|\xc2\x85')" "no line separator in: $ERR"

# ---- the reasons of line-level problems, last so the checks above all run ----
# The summary lists why documents were repaired or failed; for a JSONL line
# the reason must say what happened, not just "line".
assert_eq 1 "$(reason_total "$SUMMARY_UTF8_JSONL" warning 'invalid UTF-8')" \
    "the summary's reasons must say why the JSONL line was repaired: $SUMMARY_UTF8_JSONL"
assert_eq 1 "$(reason_total "$SUMMARY_MALFORMED" failed 'invalid JSON')" \
    "the summary's reasons must say the JSON line was invalid: $SUMMARY_MALFORMED"
assert_eq 1 "$(reason_total "$SUMMARY_MIXED" failed 'invalid JSON')" \
    "invalid JSON reason in the mixed run: $SUMMARY_MIXED"
assert_eq 2 "$(reason_total "$SUMMARY_MIXED" warning 'invalid UTF-8')" \
    "invalid UTF-8 reasons in the mixed run: $SUMMARY_MIXED"

echo "indexer_bad_input: ok"
