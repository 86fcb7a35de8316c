#!/usr/bin/env bash
# search_cli.sh - the search command as scripts and people use it: output
# formats (text, json, ids, tsv), pagination, snippets, exit statuses,
# --batch (answers by line number, failed lines), --count-only, FIHRIS_DB,
# odd queries.
set -u
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DB=$TMP/db
cd "$SOURCE_DIR" || fail "cd $SOURCE_DIR"

# The corpus plus a few documents of our own with known metadata.
cat >"$TMP/cli.jsonl" <<'EOF'
{"id":"cli-1","title":"Zebra notes","body":"The zebraword grazes on the plain.","url":"https://example.org/zebra","date":"2024-02-29","source":"wire","lang":"en"}
{"id":"cli-2","title":"Quokka notes","body":"A quokkaword smiles."}
{"id":"cli-3","title":"ملاحظات","body":"الزرافة طويلة جدا"}
EOF
assert_exit 0 "$INDEXER" -d "$DB" corpus "$TMP/cli.jsonl"
assert_eq "8 added, 0 replaced, 0 unchanged, 0 skipped, 0 failed" "$(summary_counts "$OUT")" \
    "indexing the test database"

A000=$(ls "$PWD"/corpus/000_*.txt)
A001=$(ls "$PWD"/corpus/001_*.txt)

# ---- --format json ----
assert_exit 0 "$SEARCH" -d "$DB" --no-names --format json "زوكربيرغ"
JSON=$OUT
check=$(printf '%s' "$JSON" | json_eval '
[k for k in ("query", "total", "elapsed_ms", "fallback", "hits") if k not in d] or
[(h.get("rank"), k) for h in d["hits"] for k in ("id", "title", "score", "snippet", "url", "date", "source")
 if k not in h] or
("ok" if d["query"] == "زوكربيرغ" and isinstance(d["total"], int) and d["total"] == len(d["hits"]) == 4
  and isinstance(d["elapsed_ms"], (int, float)) and d["elapsed_ms"] >= 0 and d["fallback"] is None
  and [h["rank"] for h in d["hits"]] == [1, 2, 3, 4]
  and all(isinstance(h["id"], str) and isinstance(h["title"], str) and isinstance(h["snippet"], str)
          and isinstance(h["score"], (int, float)) and h["score"] > 0 for h in d["hits"])
  and all(d["hits"][i]["score"] >= d["hits"][i + 1]["score"] for i in range(3))
  and all("<b>زوكربيرغ</b>" in h["snippet"] for h in d["hits"])
  else "bad values")')
assert_eq ok "$check" "JSON result for زوكربيرغ: $JSON"
assert_eq '["https://example.org/zebra", "2024-02-29", "wire", "cli-1", "Zebra notes"]' \
    "$("$SEARCH" -d "$DB" --format json zebraword |
        json_eval '[d["hits"][0][k] for k in ("url", "date", "source", "id", "title")]')" \
    "JSON metadata of a JSONL document"
assert_eq '[null, null, null]' \
    "$("$SEARCH" -d "$DB" --format json quokkaword | json_eval '[d["hits"][0][k] for k in ("url", "date", "source")]')" \
    "JSON metadata absent from a document"

# ---- --format ids: one id a line, the same ranking as JSON ----
assert_exit 0 "$SEARCH" -d "$DB" --format ids OpenAI
IDS=$OUT
assert_eq 5 "$(printf '%s\n' "$IDS" | wc -l)" "ids of OpenAI (one a line)"
assert_eq "$(printf '%s\n' "$PWD"/corpus/*.txt | sort)" "$(printf '%s\n' "$IDS" | sort)" "ids of OpenAI"
assert_eq "$IDS" "$("$SEARCH" -d "$DB" --format json OpenAI | json_eval '"\n".join(h["id"] for h in d["hits"])')" \
    "ids and JSON rank the same way"

# ---- -n and --offset ----
top4=$("$SEARCH" -d "$DB" --format ids -n 4 OpenAI)
assert_eq "$(printf '%s\n' "$IDS" | head -n 4)" "$top4" "-n 4 is the first four"
assert_eq "$(printf '%s\n' "$top4" | sed -n 1,2p)" "$("$SEARCH" -d "$DB" --format ids -n 2 OpenAI)" "page 1"
assert_eq "$(printf '%s\n' "$top4" | sed -n 3,4p)" "$("$SEARCH" -d "$DB" --format ids -n 2 --offset 2 OpenAI)" \
    "page 2 is results 3-4"
assert_eq "$(printf '%s\n' "$IDS" | sed -n 5p)" "$("$SEARCH" -d "$DB" --format ids -n 10 --offset 4 OpenAI)" \
    "the last page"
# "total" is documented as an estimate; it may not undercount what is shown.
assert_eq "ok 2" "$("$SEARCH" -d "$DB" --format json -n 2 --offset 2 OpenAI |
    json_eval '"%s %d" % ("ok" if d["total"] >= 4 else d["total"], len(d["hits"]))')" "JSON total and hits of page 2"

# ---- text output and snippets (stdout is not a terminal here) ----
assert_exit 0 "$SEARCH" -d "$DB" "زوكربيرغ"
printf '%s' "$OUT" | is_utf8 || fail "text output is not valid UTF-8"
assert_contains "$OUT" "**زوكربيرغ**" "matches are marked ** ** when piped"
assert_not_contains "$OUT" $'\033' "no terminal escapes when piped"
for id in $(printf '%s\n' "$JSON" | json_eval '" ".join(h["id"] for h in d["hits"])'); do
    assert_contains "$OUT" "$id" "text output lists every hit"
done
# The snippet shows the document's own spelling: a query without harakat
# marks "يُعتبر" as written in 000.
assert_exit 0 "$SEARCH" -d "$DB" -n 10 "يعتبر"
assert_contains "$OUT" "**يُعتبر**" "the snippet keeps the original diacritics"
# Every snippet of a long Arabic result list is valid UTF-8.
"$SEARCH" -d "$DB" -n 10 "الذكاء" | is_utf8 || fail "snippets for الذكاء are not valid UTF-8"
"$SEARCH" -d "$DB" --format json -n 10 "الذكاء" | json_eval 'len(d["hits"])' >/dev/null

# ---- exit statuses ----
assert_exit 1 "$SEARCH" -d "$DB" --format ids nosuchwordanywhere
assert_eq "" "$OUT" "no ids when nothing matches"
assert_exit 1 "$SEARCH" -d "$DB" nosuchwordanywhere
assert_contains "$OUT" "No results" "text output when nothing matches"

assert_exit 2 "$SEARCH" -d "$TMP/no/such/db" zebraword
assert_eq 1 "$(printf '%s\n' "$ERR" | wc -l)" "one line about a missing database: $ERR"
assert_contains "$ERR" "$TMP/no/such/db" "the message names the missing database"
assert_eq "" "$OUT" "nothing on stdout for a missing database"

assert_exit 2 "$SEARCH" -d "$DB" --no-such-option zebraword
assert_contains "$ERR" "--no-such-option" "unknown option message"
assert_exit 2 "$SEARCH" -d "$DB" -n abc zebraword
assert_contains "$ERR" "-n" "bad -n message"
assert_exit 2 "$SEARCH" -d "$DB" -n 1001 zebraword
assert_exit 2 "$SEARCH" -d "$DB" --offset -1 zebraword
assert_exit 2 "$SEARCH" -d "$DB" --format xml zebraword
assert_exit 2 "$SEARCH" -d "$DB"
assert_exit 2 "$SEARCH" -d "$DB" --batch "$TMP/no-such-file"
assert_exit 2 "$SEARCH" -d "$DB" --batch - zebraword </dev/null
assert_exit 0 "$SEARCH" --help
assert_contains "$OUT" "usage: search" "--help"

# ---- --batch ----
printf '%s\n' zebraword nosuchwordanywhere "تولوش" quokkaword >"$TMP/queries.txt"
EXPECTED=$(printf '1\tcli-1\n3\t%s\n4\tcli-2' "$A000")
assert_exit 0 "$SEARCH" -d "$DB" --no-names --format ids --batch "$TMP/queries.txt"
assert_eq "$EXPECTED" "$OUT" "--batch FILE with ids"
assert_exit 0 "$SEARCH" -d "$DB" --no-names --format ids --batch - <"$TMP/queries.txt"
assert_eq "$EXPECTED" "$OUT" "--batch - reads standard input"
# CRLF line ends are not part of the queries.
printf 'zebraword\r\nquokkaword\r\n' >"$TMP/crlf.txt"
assert_exit 0 "$SEARCH" -d "$DB" --format ids --batch "$TMP/crlf.txt"
assert_eq "$(printf '1\tcli-1\n2\tcli-2')" "$OUT" "--batch with CRLF line ends"
# Nothing matching at all: exit 1.
printf '%s\n' nosuchwordanywhere alsonotthere >"$TMP/none.txt"
assert_exit 1 "$SEARCH" -d "$DB" --format ids --batch "$TMP/none.txt"
assert_eq "" "$OUT" "--batch without matches"
# JSON: one compact object a line, in order.
assert_exit 0 "$SEARCH" -d "$DB" --format json --batch "$TMP/queries.txt"
assert_eq 4 "$(printf '%s\n' "$OUT" | wc -l)" "one JSON object per query"
lineno=0
while IFS= read -r q; do
    lineno=$((lineno + 1))
    got=$(printf '%s\n' "$OUT" | sed -n "${lineno}p" |
        json_eval 'str(d["line"]) + "|" + d["query"] + "|" + ",".join(h["id"] for h in d["hits"])')
    want="$lineno|$q|$("$SEARCH" -d "$DB" --format ids "$q" | paste -sd, -)"
    assert_eq "$want" "$got" "JSON batch line $lineno"
done <"$TMP/queries.txt"
# ---- --batch --format json: each answer names its input line ----
# Lines count from 1, blank ones included; a line that cannot be searched
# is answered with its error (and said on stderr), the others go on, and the
# exit status says that one failed.
long=$(head -c 10001 /dev/zero | tr '\0' a)
printf '%s\n' zebraword '' 'date:2025-13' "$long" quokkaword nosuchwordanywhere >"$TMP/mixed.txt"
assert_exit 2 "$SEARCH" -d "$DB" --format json --batch "$TMP/mixed.txt"
assert_eq "1:cli-1 3:error:is not a date 4:error:query too long 5:cli-2 6:" \
    "$(printf '%s\n' "$OUT" | "$PYTHON" -c '
import json, sys
out = []
for l in sys.stdin:
    d = json.loads(l)
    if "error" in d:
        msg = "is not a date" if "is not a date" in d["error"] else d["error"][:14]
        out.append("%d:error:%s" % (d["line"], msg))
    else:
        out.append("%d:%s" % (d["line"], ",".join(h["id"] for h in d["hits"])))
print(" ".join(out))')" "--batch json answers by line, errors included"
assert_contains "$ERR" "search: line 3: " "the bad date on stderr too"
assert_contains "$ERR" "search: line 4: query too long" "the long query on stderr too"
assert_eq "date:2025-13" "$(printf '%s\n' "$OUT" | sed -n 2p | json_eval 'd["query"]')" \
    "a failed line's object carries its query"
# Other formats say a failed line on stderr only; the status is the same.
assert_exit 2 "$SEARCH" -d "$DB" --format ids --batch "$TMP/mixed.txt"
assert_eq "$(printf '1\tcli-1\n5\tcli-2')" "$OUT" "--batch ids around failed lines"

# ---- --count-only ----
# The number of documents that match, exactly: every plain word (no
# falling back to any), filters applied.
assert_exit 0 "$SEARCH" -d "$DB" --count-only OpenAI
assert_eq "$(count_hits "$DB" OpenAI)" "$OUT" "--count-only OpenAI"
assert_exit 0 "$SEARCH" -d "$DB" --count-only 'zebraword date:2024'
assert_eq 1 "$OUT" "--count-only with a filter"
assert_exit 1 "$SEARCH" -d "$DB" --count-only 'zebraword date:2023'
assert_eq 0 "$OUT" "--count-only with a filter that leaves nothing"
assert_exit 1 "$SEARCH" -d "$DB" --count-only zebraword quokkaword
assert_eq 0 "$OUT" "--count-only does not fall back to any word"
assert_exit 1 "$SEARCH" -d "$DB" --count-only '...'
assert_eq 0 "$OUT" "--count-only of no word"
assert_exit 0 "$SEARCH" -d "$DB" --count-only --format json OpenAI
assert_eq "OpenAI 5 True" "$(json_eval '"%s %d %s" % (d["query"], d["count"], d["exact"])' <<<"$OUT")" \
    "--count-only --format json"
# Exact past the hundred matches counted exactly for a page of hits.
gen_jsonl "$TMP/many.jsonl" 345 many
assert_exit 0 "$INDEXER" -d "$TMP/manydb" --no-progress "$TMP/many.jsonl"
assert_exit 0 "$SEARCH" -d "$TMP/manydb" --count-only everyword
assert_eq 345 "$OUT" "--count-only of 345 matches"
assert_exit 0 "$SEARCH" -d "$TMP/manydb" --count-only --format json 'everyword -w1'
assert_eq "$(count_hits "$TMP/manydb" 'everyword -w1') True" \
    "$(json_eval '"%d %s" % (d["count"], d["exact"])' <<<"$OUT")" "--count-only of most of 345"
# With --batch: one count a line, after its line number; JSON objects.
assert_exit 2 "$SEARCH" -d "$DB" --count-only --batch "$TMP/mixed.txt"
assert_eq "$(printf '1\t1\n5\t1\n6\t0')" "$OUT" "--count-only --batch"
assert_exit 2 "$SEARCH" -d "$DB" --count-only --format json --batch "$TMP/mixed.txt"
assert_eq "1:1 3:error 4:error 5:1 6:0" "$(printf '%s\n' "$OUT" | "$PYTHON" -c '
import json, sys
print(" ".join("%d:%s" % (d["line"], "error" if "error" in d else d["count"])
               for d in map(json.loads, sys.stdin)))')" "--count-only --batch --format json"
assert_exit 0 "$SEARCH" -d "$DB" --count-only --batch - < <(printf '%s\n' OpenAI zebraword)
assert_eq "$(printf '1\t5\n2\t1')" "$OUT" "--count-only --batch without failures"
assert_exit 2 "$SEARCH" -d "$DB" --count-only --format ids OpenAI
assert_exit 2 "$SEARCH" -d "$DB" --count-only --explain OpenAI
assert_exit 2 "$SEARCH" -d "$DB" --count-only --facets OpenAI

# ---- --format tsv ----
# A header, then id, score, title, date, source a hit; a tab, line break
# or backslash inside a field is escaped, so every row has five columns.
printf '%s\n' '{"id":"tsv-1","title":"Tab\there\nnew \\ line","body":"tsvword","date":"2024-05-06","source":"a\tb"}' \
    '{"id":"tsv-2","title":"Plain","body":"tsvword tsvword"}' >"$TMP/tsv.jsonl"
assert_exit 0 "$INDEXER" -d "$DB" --no-progress "$TMP/tsv.jsonl"
assert_exit 0 "$SEARCH" -d "$DB" --format tsv tsvword
assert_eq "$(printf 'id\tscore\ttitle\tdate\tsource')" "$(head -n 1 <<<"$OUT")" "the TSV header"
assert_eq 3 "$(wc -l <<<"$OUT")" "a TSV row a hit"
assert_eq "5 5 5" "$(awk -F'\t' '{ printf "%s%d", (NR > 1 ? " " : ""), NF }' <<<"$OUT")" "five columns a row"
json=$("$SEARCH" -d "$DB" --format json tsvword)
assert_eq "$(json_eval '"\n".join("%s|%s|%s|%s" % (h["id"], h["title"], h["date"] or "", h["source"] or "")
    for h in d["hits"])' <<<"$json")" \
    "$(tail -n +2 <<<"$OUT" | "$PYTHON" -c '
import sys
un = lambda f: f.replace("\\\\", "\0").replace("\\t", "\t").replace("\\n", "\n").replace("\\r", "\r").replace("\0", "\\")
for l in sys.stdin.read().splitlines():
    c = l.split("\t")
    print("|".join(un(c[i]) for i in (0, 2, 3, 4)))')" "TSV fields unescaped are the JSON fields"
assert_contains "$OUT" $'tsv-1\t' "the escaped row"
assert_contains "$OUT" $'\tTab\\there\\nnew \\\\ line\t2024-05-06\ta\\tb' "escapes in a TSV row"
assert_eq "$(json_eval '" ".join("%.6g" % h["score"] for h in d["hits"])' <<<"$json")" \
    "$(tail -n +2 <<<"$OUT" | cut -f2 | paste -sd' ' -)" "TSV scores"
assert_exit 1 "$SEARCH" -d "$DB" --format tsv nosuchwordanywhere
assert_eq "$(printf 'id\tscore\ttitle\tdate\tsource')" "$OUT" "TSV of no hits: the header alone"
# With --batch: the line number first.
assert_exit 2 "$SEARCH" -d "$DB" --format tsv --batch "$TMP/mixed.txt"
assert_eq "$(printf 'line\tid\tscore\ttitle\tdate\tsource\n1\tcli-1\n5\tcli-2')" \
    "$(cut -f1,2 <<<"$OUT" | sed '1s/$/\tscore\ttitle\tdate\tsource/')" "--batch --format tsv"
assert_exit 0 "$SEARCH" -d "$DB" --count-only --format tsv --batch - < <(printf '%s\n' OpenAI zebraword)
assert_eq "$(printf 'line\tcount\n1\t5\n2\t1')" "$OUT" "--count-only --format tsv --batch"
assert_exit 2 "$SEARCH" -d "$DB" --format tsv --explain tsvword

# ---- odd queries ----
# Invalid UTF-8 does not crash; the rest of the query still works.
run "$SEARCH" -d "$DB" $'\xff\xfe'
[ "$RC" == 0 ] || [ "$RC" == 1 ] || fail "an invalid UTF-8 query exited $RC: $ERR"
printf '%s' "$OUT" | is_utf8 || fail "output for an invalid UTF-8 query is not valid UTF-8"
assert_exit 0 "$SEARCH" -d "$DB" --format ids $'zebraword \xc3\x28'
assert_eq "cli-1" "$OUT" "a query with invalid UTF-8 next to a good word"
run "$SEARCH" -d "$DB" --format json $'\xff'
[ "$RC" == 0 ] || [ "$RC" == 1 ] || fail "an invalid UTF-8 JSON query exited $RC: $ERR"
assert_eq $'\xef\xbf\xbd' "$(printf '%s' "$OUT" | json_eval 'd["query"]')" "invalid bytes become U+FFFD in JSON"

# Only punctuation: nothing to search, no error.
assert_exit 1 "$SEARCH" -d "$DB" '!!! ... ?? ؟، «»'
assert_eq "" "$ERR" "a punctuation-only query is not an error"
assert_exit 1 "$SEARCH" -d "$DB" --format json '...'
assert_eq "0 0" "$(printf '%s' "$OUT" | json_eval '"%d %d" % (d["total"], len(d["hits"]))')" \
    "JSON for a punctuation-only query"

# A minus sign before a digit starts a query word, not an option; after --
# everything is query words.
assert_exit 0 "$SEARCH" -d "$DB" --format ids -n 10 -2025
assert_eq "$(printf '%s\n' "$PWD"/corpus/003_*.txt "$PWD"/corpus/004_*.txt)" "$(printf '%s\n' "$OUT" | sort)" "query -2025"
assert_exit 0 "$SEARCH" -d "$DB" --format ids -- --zebraword
assert_eq "cli-1" "$OUT" "a query word after --"

# ---- FIHRIS_DB ----
assert_exit 0 env FIHRIS_DB="$DB" "$SEARCH" --format ids zebraword
assert_eq "cli-1" "$OUT" "FIHRIS_DB names the database"
assert_exit 0 env FIHRIS_DB="$TMP/elsewhere" "$SEARCH" -d "$DB" --format ids zebraword
assert_eq "cli-1" "$OUT" "-d wins over FIHRIS_DB"
assert_exit 2 env FIHRIS_DB="$TMP/elsewhere" "$SEARCH" zebraword
assert_contains "$ERR" "$TMP/elsewhere" "a missing FIHRIS_DB database is named"

# ---- fallback to any word ----
# zebraword and quokkaword are never in the same document.
assert_exit 0 "$SEARCH" -d "$DB" --format ids zebraword quokkaword
assert_eq "$(printf 'cli-1\ncli-2')" "$(printf '%s\n' "$OUT" | sort)" "any-word results"
assert_eq "any-word 2" \
    "$("$SEARCH" -d "$DB" --format json zebraword quokkaword | json_eval '"%s %d" % (d["fallback"], len(d["hits"]))')" \
    "JSON says the results are any-word"
assert_exit 0 "$SEARCH" -d "$DB" zebraword quokkaword
assert_contains "$OUT" "No document contains every word" "text says the results are any-word"
# تولوش (only in 000) and تولوخ (only in 001) are never together either
# (taken as written: as one name in two spellings they would be).
assert_exit 0 "$SEARCH" -d "$DB" --no-names --format ids "تولوش تولوخ"
assert_eq "$(printf '%s\n%s' "$A000" "$A001")" "$(printf '%s\n' "$OUT" | sort)" "Arabic any-word results"
assert_eq "any-word" "$("$SEARCH" -d "$DB" --no-names --format json "تولوش تولوخ" | json_eval 'd["fallback"]')" \
    "JSON fallback for Arabic words"
# When every word is in some document, there is no fallback.
assert_eq "None" "$("$SEARCH" -d "$DB" --format json "تولوش ميتا" | json_eval 'str(d["fallback"])')" \
    "no fallback when a document has every word"

# ---- --batch with a blank line (last, so the checks above all run) ----
# A blank line in a batch is a query that matches nothing, not an error.
printf 'zebraword\n\nquokkaword\n' >"$TMP/blank.txt"
assert_exit 0 "$SEARCH" -d "$DB" --format ids --batch "$TMP/blank.txt"
assert_eq "$(printf '1\tcli-1\n3\tcli-2')" "$OUT" "--batch ids with a blank line"
assert_exit 0 "$SEARCH" -d "$DB" --format json --batch "$TMP/blank.txt"
assert_eq "zebraword|quokkaword" \
    "$(printf '%s\n' "$OUT" | while IFS= read -r l; do printf '%s\n' "$l" | json_eval 'd["query"]'; done |
        sed '/^$/d' | paste -sd'|' -)" "--batch json with a blank line"
assert_exit 0 "$SEARCH" -d "$DB" --batch "$TMP/blank.txt"
printf '%s' "$OUT" | is_utf8 || fail "--batch text output with a blank line is not valid UTF-8"
printf '%s\n' "$OUT" | grep -E '^== 2:' | grep -vqxE '== 2: ?' &&
    fail "--batch text output shows junk as the blank query: $(printf '%s\n' "$OUT" | grep -E '^== 2:')"

# ---- one original character that normalizes into several words ----
# ﷺ is four words after NFKC; the snippet marks the character itself, once.
mkdir -p "$TMP/lig"
printf 'عنوان\nقال النبي ﷺ في الحديث\n' >"$TMP/lig/a.txt"
assert_exit 0 "$INDEXER" -d "$TMP/ligdb" --no-progress "$TMP/lig"
assert_exit 0 "$SEARCH" -d "$TMP/ligdb" "صلى الله"
assert_contains "$OUT" "قال النبي **ﷺ** في الحديث" "snippet of a ligature that expands into words"

# ---- an index made by another version of the analysis ----
# A fresh index says nothing; one whose recorded version differs gets a note
# on stderr (results still go to stdout).
assert_exit 0 "$SEARCH" -d "$TMP/ligdb" "صلى الله"
assert_eq "" "$ERR" "stderr of a search in a fresh index"
xapian-metadata set "$TMP/ligdb" fihris:analysis 0 || fail "xapian-metadata set"
assert_exit 0 "$SEARCH" -d "$TMP/ligdb" "صلى الله"
assert_contains "$ERR" "indexed by another version of fihris" "the note on an outdated index"
assert_contains "$OUT" "**ﷺ**" "results from an outdated index"

echo "search_cli: ok"
