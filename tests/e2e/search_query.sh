#!/usr/bin/env bash
# search_query.sh - the query language, end to end: every operator and field
# of `search` over a small news fixture, with the exact set of documents
# each query must find, and what a user may type by mistake.
#
# The fixture, tests/fixtures/news/news.jsonl (16 short news items), is made
# so that every expected set below can be read off it by hand.  Its
# documents, with date, source, language and the words the queries use:
#
#   id                    date        source      lang  words used by the queries
#   meta-tulloch-en       2025-08-12  Reuters     en    T: Meta hires Tulloch; B: Lab, Meta,
#                                                       "Zuckerberg recruited Tulloch" (distance 2),
#                                                       salary, and, of, the
#   meta-labs-en          2025-06-30  TechCrunch  en    T: Zuckerberg; B: "Meta Superintelligence
#                                                       Labs", hiring
#   openai-poaching-en    2025-07-02  Reuters     en    T: OpenAI, Meta, poaching; B: "poaching
#                                                       researchers", salary, 2025 (the only 2025)
#   tesla-robotaxi-en     2024-10-11  TechCrunch  en    T: Musk's; B: "Tesla quietly delayed its
#                                                       robotaxi" (distance 4), chips
#   tesla-vote-en         2023-03-15  Reuters     en    T: Tesla, Musk; B: Musk
#   microsoft-chips-en    2024-02-08  Reuters     en    T: Microsoft, chips; B: chips, Copilot
#   google-hired-en       2023        TechCrunch  en    T: Google; B: hired, OpenAI, robotaxi,
#                                                       researchers, salary (no chips)
#   musk-openai-en        (none)      Reuters     en    T: Musk, OpenAI; B: Microsoft
#   google-gemini-en      2024-12-03  Aljazeera   (en)  Google, OpenAI; no lang: guessed en
#   meta-tulloch-ar       2025-08-14  Aljazeera   ar    ميتا تولوخ; B: "زوكربيرغ الباحث أندرو
#                                                       تولوخ" (distance 3), "بعد أشهر من
#                                                       المفاوضات", "مختبرات الذكاء الفائق", من
#   meta-labs-ar          2025-06     BBC Arabic  ar    زوكربيرج ميتا, "مختبرات ميتا للذكاء الفائق",
#                                                       الذكاء, في
#   tesla-ar              2024-06-18  Aljazeera   (ar)  T: تسلا; B: ماسك تسلا; no lang: guessed ar
#   openai-microsoft-ar   2024-11-20  Aljazeera   ar    OpenAI, مايكروسوفت, "بعد أشهر من
#                                                       المفاوضات", في, من
#   google-ar             2023-05-10  BBC Arabic  ar    غوغل جوجل, الذكاء, في
#   meta-salaries-ar      2025-07-20  Aljazeera   ar    ميتا, لزوكربيرغ, OpenAI, وغوغل, الذكاء, من
#   superintelligence-en  2025-01-20  Reuters     en    T: Microsoft, OpenAI, superintelligence;
#                                                       B: labs ... superintelligence (apart), the,
#                                                       of, and
#
# Distinctive words: salary (meta-tulloch-en, openai-poaching-en,
# google-hired-en), robotaxi (tesla-robotaxi-en, google-hired-en), chips
# (tesla-robotaxi-en, microsoft-chips-en), researchers (openai-poaching-en,
# google-hired-en); hire/hires/hiring/hired are in meta-tulloch-en (hires),
# meta-labs-en (hiring) and google-hired-en (hired) only.  No document holds
# salary, robotaxi and chips together.  Names are written mid-sentence with a
# capital somewhere (joined Meta, said Tesla, from Microsoft, at Google,
# recruited Tulloch, Mark Zuckerberg, Elon Musk, at OpenAI) so that they are
# known as names and meet their Arabic spellings: Meta is also ميتا, Tesla
# تسلا, Musk ماسك, Tulloch تولوخ, Zuckerberg زوكربيرغ/زوكربيرج, Google
# غوغل/جوجل, Microsoft مايكروسوفت.  Every date differs, so that the order by
# date is unique; musk-openai-en has none and comes last.
#
# A one-letter prefix needs more than 500 index words to begin with it: a
# generated document of 600 words beginning with z, and the articles of
# corpus/ for an Arabic letter.
set -u
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DB=$TMP/db
FIXTURE=$SOURCE_DIR/tests/fixtures/news/news.jsonl
assert_exit 0 "$INDEXER" -d "$DB" --no-progress "$FIXTURE"
assert_eq "16 added, 0 replaced, 0 unchanged, 0 skipped, 0 failed" "$(summary_counts "$OUT")" \
    "indexing the news fixture"

# sorted "A B ..." [-u]: the words sorted (without repeats with -u), one space between.
sorted() { tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort ${2:-} | tr '\n' ' ' | sed 's/ $//'; }

# expect "ID ..." [options] QUERY: the search finds exactly these documents
# (in any order), with exit status 0, or 1 when the list is empty.
expect()
{
    local want rc=0
    want=$(sorted "$1" -u)
    shift
    [ -z "$want" ] && rc=1
    assert_exit "$rc" "$SEARCH" -d "$DB" --format ids -n 100 "$@"
    assert_eq "$want" "$(sorted "$(tr '\n' ' ' <<<"$OUT")")" "documents for: $*"
}

# in_order "ID ..." [options] QUERY: these documents in this order.
in_order()
{
    local want=$1
    shift
    assert_exit 0 "$SEARCH" -d "$DB" --format ids -n 100 "$@"
    assert_eq "$want" "$(tr '\n' ' ' <<<"$OUT" | sed 's/ $//')" "order of: $*"
}

# json [options] QUERY: the JSON result in $OUT (exit status 0 or 1).
json()
{
    run "$SEARCH" -d "$DB" --format json -n 100 "$@"
    [ "$RC" -le 1 ] || fail "search --format json $* exited $RC: $ERR"
}

# one_line_error [options] QUERY: exit status 2, one line on stderr and
# nothing on stdout.
one_line_error()
{
    assert_exit 2 "$SEARCH" -d "$DB" "$@"
    [ -n "$ERR" ] || fail "no message on stderr for: $*"
    assert_eq 1 "$(printf '%s\n' "$ERR" | wc -l)" "one line on stderr for: $* ($ERR)"
    assert_eq "" "$OUT" "nothing on stdout for: $*"
}

SALARY="meta-tulloch-en openai-poaching-en google-hired-en"
ROBOTAXI="tesla-robotaxi-en google-hired-en"
CHIPS="tesla-robotaxi-en microsoft-chips-en"
OPENAI="openai-poaching-en google-hired-en musk-openai-en google-gemini-en openai-microsoft-ar
        meta-salaries-ar superintelligence-en"
TESLA="tesla-robotaxi-en tesla-vote-en tesla-ar"
ARABIC="meta-tulloch-ar meta-labs-ar tesla-ar openai-microsoft-ar google-ar meta-salaries-ar"
ENGLISH="meta-tulloch-en meta-labs-en openai-poaching-en tesla-robotaxi-en tesla-vote-en
         microsoft-chips-en google-hired-en musk-openai-en google-gemini-en superintelligence-en"

# ---- plain words: every one must match ----
expect "openai-poaching-en google-hired-en" "salary researchers"
expect "openai-poaching-en google-hired-en" salary researchers
expect "google-hired-en" "robotaxi salary"
# OpenAI is written in Latin letters in two Arabic documents too.
expect "$OPENAI" OpenAI
json "salary researchers"
assert_eq None "$(json_eval 'str(d["fallback"])' <<<"$OUT")" "no fallback when a document has every word"

# No document has salary, robotaxi and chips: documents with any of them.
expect "$SALARY $ROBOTAXI $CHIPS" "robotaxi salary chips"
json "robotaxi salary chips"
assert_eq any-word "$(json_eval 'd["fallback"]' <<<"$OUT")" "JSON fallback of robotaxi salary chips"
assert_exit 0 "$SEARCH" -d "$DB" "robotaxi salary chips"
assert_contains "$OUT" "No document contains every word" "text output of a fallback"
# A written AND never falls back.
expect "" "robotaxi AND salary AND chips"
json "robotaxi AND salary AND chips"
assert_eq "None 0" "$(json_eval '"%s %d" % (d["fallback"], len(d["hits"]))' <<<"$OUT")" \
    "JSON of an AND that nothing matches"
assert_exit 1 "$SEARCH" -d "$DB" "robotaxi AND salary AND chips"
assert_contains "$OUT" "No results" "text output of an AND that nothing matches"
assert_not_contains "$OUT" "No document contains every word" "an AND does not fall back"
# +chips stays required: chips and (robotaxi or salary).
expect "tesla-robotaxi-en" "+chips robotaxi salary"
json "+chips robotaxi salary"
assert_eq any-word "$(json_eval 'd["fallback"]' <<<"$OUT")" "JSON fallback of +chips robotaxi salary"
# Filters and exclusions stay in force when falling back.
expect "meta-tulloch-en openai-poaching-en" "robotaxi salary chips date:2025"
json "robotaxi salary chips date:2025"
assert_eq any-word "$(json_eval 'd["fallback"]' <<<"$OUT")" "JSON fallback with a filter"
expect "$SALARY microsoft-chips-en" "robotaxi salary chips -Musk"
# Operators in lower case are words: "or" is in no document.
json "robotaxi or chips"
assert_eq any-word "$(json_eval 'd["fallback"]' <<<"$OUT")" "a lower-case or is a word"

# ---- OR, NOT, -word, parentheses ----
expect "$ROBOTAXI $CHIPS" "robotaxi OR chips"
# OR binds tighter than AND: (salary OR robotaxi) AND chips.
expect "tesla-robotaxi-en" "salary OR robotaxi chips"
expect "meta-tulloch-en" "salary NOT researchers"
expect "meta-tulloch-en" "salary -researchers"
expect "microsoft-chips-en google-hired-en" "(robotaxi OR chips) -Musk"
expect "$SALARY tesla-robotaxi-en" "salary OR (robotaxi -Google)"
expect "openai-poaching-en tesla-robotaxi-en" "(Meta OR Tesla) (salary OR chips) -Tulloch"
# Typed as separate words in a shell, -word is still an exclusion, not an option.
expect "openai-poaching-en tesla-robotaxi-en" "(Meta OR Tesla)" "(salary OR chips)" -Tulloch
expect "meta-tulloch-en openai-poaching-en" "-(robotaxi OR chips) salary"
expect "meta-tulloch-en openai-poaching-en" "salary NOT (robotaxi OR chips)"
# A minus before a digit is a sign: -2025 is the word; NOT 2025 excludes it.
expect "openai-poaching-en" -2025
expect "openai-poaching-en" "salary -2025"
expect "meta-tulloch-en google-hired-en" "salary NOT 2025"
expect "google-hired-en musk-openai-en google-gemini-en openai-microsoft-ar meta-salaries-ar
        superintelligence-en" "OpenAI NOT 2025"
one_line_error "NOT 2025"
one_line_error "-salary -chips"

# ---- phrases ----
expect "meta-labs-en" '"superintelligence labs"'
expect "meta-labs-en superintelligence-en" "superintelligence labs"
expect "" '"labs superintelligence"'
expect "openai-poaching-en" '"poaching researchers"'
expect "openai-poaching-en" '“poaching researchers”'
# Inside quotes words are not stemmed: poached is not poaching.
expect "" '"poached researchers"'
expect "openai-poaching-en" "poached researchers"
expect "meta-tulloch-ar" '"مختبرات الذكاء الفائق"'
expect "meta-tulloch-ar" '«مختبرات الذكاء الفائق»'
expect "" '«الفائق الذكاء مختبرات»'
# Unquoted, للذكاء (meta-labs-ar) is a form of الذكاء.
expect "meta-tulloch-ar meta-labs-ar" "مختبرات الذكاء الفائق"
# Quoted, الذكاء is not للذكاء (meta-labs-ar); unquoted it is.
expect "meta-tulloch-ar" '"الذكاء الفائق"'
expect "meta-labs-ar" '«للذكاء الفائق»'
expect "meta-tulloch-ar meta-labs-ar" "الذكاء الفائق"
expect "meta-tulloch-ar openai-microsoft-ar" '«بعد أشهر من المفاوضات»'

# ---- NEAR/n: "Tesla quietly delayed its robotaxi" is distance 4 ----
expect "tesla-robotaxi-en" "Tesla NEAR/4 robotaxi"
expect "" "Tesla NEAR/3 robotaxi"
expect "tesla-robotaxi-en" "robotaxi NEAR/4 Tesla"
expect "" "robotaxi NEAR/3 Tesla"
# Across scripts: "Zuckerberg recruited Tulloch" (2), "زوكربيرغ الباحث أندرو تولوخ" (3).
expect "meta-tulloch-en meta-tulloch-ar" "Zuckerberg NEAR/5 تولوخ"
expect "meta-tulloch-en meta-tulloch-ar" "Zuckerberg NEAR/3 تولوخ"
expect "meta-tulloch-en" "Zuckerberg NEAR/2 تولوخ"
expect "meta-tulloch-en meta-tulloch-ar" "تولوخ NEAR/3 Zuckerberg"
expect "" "تولوخ NEAR/1 Zuckerberg"
# An OR of words as one side: "Musk said Tesla", "Zuckerberg announced".
expect "tesla-robotaxi-en" "(Tesla OR Zuckerberg) NEAR/1 said"
expect "meta-labs-en" "(Tesla OR Zuckerberg) NEAR/1 announced"

# ---- =word: this form only ----
expect "meta-tulloch-en meta-labs-en google-hired-en" hired
expect "google-hired-en" =hired
expect "meta-tulloch-en" =hires
expect "$TESLA" Tesla
expect "tesla-robotaxi-en tesla-vote-en" =Tesla
expect "tesla-ar" =تسلا
expect "$TESLA" تسلا
# A one-word phrase is a form as written too.
expect "tesla-robotaxi-en tesla-vote-en" '"Tesla"'
expect "meta-tulloch-en meta-labs-en meta-tulloch-ar meta-labs-ar meta-salaries-ar" Zuckerberg
expect "meta-tulloch-en meta-labs-en" =Zuckerberg
expect "meta-tulloch-ar" =زوكربيرغ

# ---- prefixes ----
expect "meta-tulloch-en meta-labs-en" "Zucker*"
expect "$ROBOTAXI" "robot*"
expect "meta-tulloch-ar meta-labs-ar meta-salaries-ar" "زوكر*"
# After the article or a proclitic: الذكاء, للذكاء.
expect "meta-tulloch-ar meta-labs-ar google-ar meta-salaries-ar" "ذكا*"
expect "" "zzzq*"
# 600 index words begin with z: a one-letter prefix is refused.
awk 'BEGIN {
    printf "{\"id\":\"many-z\",\"title\":\"many\",\"body\":\""
    for (i = 0; i < 600; i++)
        printf "%sz%c%c%c", i ? " " : "", 97 + int(i / 676) % 26, 97 + int(i / 26) % 26, 97 + i % 26
    print "\"}"
}' >"$TMP/many.jsonl"
assert_exit 0 "$INDEXER" -d "$TMP/manydb" --no-progress "$TMP/many.jsonl"
assert_exit 2 "$SEARCH" -d "$TMP/manydb" "z*"
assert_eq 1 "$(printf '%s\n' "$ERR" | wc -l)" "one line for a prefix of too many words: $ERR"
assert_contains "$ERR" "type more letters" "the message for a prefix of too many words"
assert_exit 0 "$SEARCH" -d "$TMP/manydb" --format ids "zab*"
assert_eq "many-z" "$OUT" "a longer prefix over the same words"
# The Arabic articles of corpus/ write more than 500 words beginning with ا
# (xapian-delve lists 572 of them, most with the article).
assert_exit 0 "$INDEXER" -d "$TMP/corpusdb" --no-progress "$SOURCE_DIR/corpus"
assert_exit 2 "$SEARCH" -d "$TMP/corpusdb" "ا*"
assert_eq 1 "$(printf '%s\n' "$ERR" | wc -l)" "one line for ا*: $ERR"
assert_contains "$ERR" "type more letters" "the message for ا*"
assert_eq "" "$OUT" "nothing on stdout for ا*"

# ---- fields ----
expect "tesla-robotaxi-en tesla-vote-en musk-openai-en" "title:Musk"
expect "tesla-robotaxi-en tesla-vote-en musk-openai-en tesla-ar" Musk
# title: meets another spelling in a title too (تسلا), not Tesla in a body.
expect "tesla-vote-en tesla-ar" "title:Tesla"
expect "superintelligence-en" "title:superintelligence"
expect "" "title:robotaxi"
expect "meta-tulloch-en" 'title:"Meta hires"'
expect "" 'title:"hires Meta"'
REUTERS="meta-tulloch-en openai-poaching-en tesla-vote-en microsoft-chips-en musk-openai-en
         superintelligence-en"
expect "$REUTERS" "source:reuters"
expect "$REUTERS" "source:REUTERS"
expect "meta-labs-ar google-ar" 'source:"BBC Arabic"'
expect "meta-labs-ar google-ar" 'source:"bbc arabic"'
expect "google-hired-en" "salary source:techcrunch"
expect "" "source:nosuchsource"
expect "tesla-robotaxi-en tesla-vote-en musk-openai-en" "Musk (source:Reuters OR source:TechCrunch)"
expect "tesla-robotaxi-en tesla-ar" "Musk -source:reuters"
expect "tesla-robotaxi-en tesla-vote-en" "-lang:ar Tesla"
expect "$ARABIC" "lang:ar"
expect "$ENGLISH" "lang:en"
expect "google-hired-en google-gemini-en" "Google lang:en"
expect "tesla-ar" "Tesla lang:ar"
# The language a document was given or guessed, as the hits show it.
json "id:google-gemini-en OR id:tesla-ar OR id:meta-labs-ar"
assert_eq '[["google-gemini-en", "en", "2024-12-03", "Aljazeera"], ["meta-labs-ar", "ar", "2025-06", "BBC Arabic"], ["tesla-ar", "ar", "2024-06-18", "Aljazeera"]]' \
    "$(json_eval 'sorted([h["id"], h["lang"], h["date"], h["source"]] for h in d["hits"])' <<<"$OUT")" \
    "JSON metadata of documents with a guessed language"
expect "tesla-ar" "id:tesla-ar"
expect "tesla-vote-en" "Musk id:tesla-vote-en"
expect "" "Musk id:tesla-ar-x"
expect "meta-tulloch-en meta-labs-en openai-poaching-en meta-tulloch-ar meta-labs-ar
        meta-salaries-ar superintelligence-en" "date:2025"
expect "meta-labs-en meta-labs-ar" "date:2025-06"
expect "tesla-vote-en google-hired-en google-ar" "date:2023"
expect "tesla-vote-en google-hired-en google-ar microsoft-chips-en tesla-ar tesla-robotaxi-en
        openai-microsoft-ar google-gemini-en" "date:<=2024-12"
expect "tesla-ar tesla-robotaxi-en openai-microsoft-ar google-gemini-en superintelligence-en
        meta-labs-en meta-labs-ar openai-poaching-en meta-salaries-ar meta-tulloch-en
        meta-tulloch-ar" "date:2024-06..2025-08"
expect "openai-poaching-en meta-salaries-ar meta-tulloch-en meta-tulloch-ar" "date:>=2025-07-01"
expect "meta-tulloch-ar" "date:>2025-08-12"
expect "meta-tulloch-en meta-tulloch-ar" "date:>=2025-08-12"
expect "tesla-vote-en google-hired-en" "date:<2023-05"
expect "tesla-vote-en google-hired-en google-ar" "date:<2024"
expect "tesla-vote-en google-hired-en google-ar microsoft-chips-en" "date:<=2024-02-08"
expect "openai-poaching-en meta-salaries-ar superintelligence-en" "OpenAI date:2025"
for bad in date:2025-13 date:soon date:2025-06-32 "date:2025..2024" "OpenAI date:20250601"; do
    one_line_error "$bad"
    assert_contains "$ERR" "date" "the message for $bad"
done

# ---- --sort date: newest first, undated last ----
ALL_BY_DATE="meta-tulloch-ar meta-tulloch-en meta-salaries-ar openai-poaching-en meta-labs-en
meta-labs-ar superintelligence-en google-gemini-en openai-microsoft-ar tesla-robotaxi-en tesla-ar
microsoft-chips-en google-ar tesla-vote-en google-hired-en musk-openai-en"
in_order "$(tr '\n' ' ' <<<"$ALL_BY_DATE" | sed 's/ $//')" --sort date "lang:ar OR lang:en"
in_order "meta-salaries-ar openai-poaching-en superintelligence-en google-gemini-en openai-microsoft-ar google-hired-en musk-openai-en" \
    --sort date OpenAI
json --sort date OpenAI
assert_eq '["2025-07-20", "2025-07-02", "2025-01-20", "2024-12-03", "2024-11-20", "2023", null]' \
    "$(json_eval '[h["date"] for h in d["hits"]]' <<<"$OUT")" "JSON dates of OpenAI by date"

# ---- --facets: exact counts over every match, sources as the documents name them ----
json --facets "lang:ar OR lang:en"
assert_eq '{"source": [["Reuters", 6], ["Aljazeera", 5], ["TechCrunch", 3], ["BBC Arabic", 2]], "lang": [["en", 10], ["ar", 6]], "year": [["2025", 7], ["2024", 5], ["2023", 3]]}' \
    "$(json_eval '{k: [[v["value"], v["count"]] for v in d["facets"][k]] for k in ("source", "lang", "year")}' <<<"$OUT")" \
    "facets of every document"
assert_eq "16 True" "$(json_eval '"%d %s" % (d["total"], d["total_exact"])' <<<"$OUT")" "total of every document"
assert_exit 0 "$SEARCH" -d "$DB" --facets -n 1 "lang:ar OR lang:en"
assert_contains "$OUT" "Reuters (6), Aljazeera (5), TechCrunch (3), BBC Arabic (2)" "text facets by source"
assert_contains "$OUT" "en (10), ar (6)" "text facets by language"
assert_contains "$OUT" "2025 (7), 2024 (5), 2023 (3)" "text facets by year"
# Musk: tesla-robotaxi-en (techcrunch en 2024), tesla-vote-en (reuters en
# 2023), musk-openai-en (reuters en, undated), tesla-ar (aljazeera ar 2024).
json --facets -n 1 Musk
assert_eq '{"source": [["Aljazeera", 1], ["Reuters", 2], ["TechCrunch", 1]], "lang": [["ar", 1], ["en", 3]], "year": [["2023", 1], ["2024", 2]], "ordered": true, "hits": 1}' \
    "$(json_eval 'dict([(k, sorted([v["value"], v["count"]] for v in d["facets"][k])) for k in ("source", "lang", "year")]
    + [("ordered", all([v["count"] for v in d["facets"][k]] == sorted((v["count"] for v in d["facets"][k]), reverse=True)
                           for k in ("source", "lang", "year"))), ("hits", len(d["hits"]))])' <<<"$OUT")" \
    "facets of Musk (counted over every match, not the page)"
json Musk
assert_eq False "$(json_eval 'str("facets" in d)' <<<"$OUT")" "no facets unless asked"
# Over the any-word matches of a fallback: meta-tulloch-en and
# openai-poaching-en (reuters 2025), tesla-robotaxi-en (techcrunch 2024),
# microsoft-chips-en (reuters 2024), google-hired-en (techcrunch 2023).
json --facets "robotaxi salary chips"
assert_eq '{"source": [["Reuters", 3], ["TechCrunch", 2]], "lang": [["en", 5]], "year": [["2023", 1], ["2024", 2], ["2025", 2]], "fallback": "any-word"}' \
    "$(json_eval 'dict([(k, sorted([v["value"], v["count"]] for v in d["facets"][k])) for k in ("source", "lang", "year")]
    + [("fallback", d["fallback"])])' <<<"$OUT")" "facets of an any-word search"

# ---- did you mean ----
# Mircosoft (r and c swapped) is in no document, nor does it keep the
# consonants of Microsoft in their order: no spelling of the name either.
json Mircosoft
assert_eq "microsoft 0" "$(json_eval '"%s %d" % (d["suggestion"], len(d["hits"]))' <<<"$OUT")" \
    "suggestion for Mircosoft"
assert_exit 1 "$SEARCH" -d "$DB" Mircosoft
assert_contains "$OUT" "Did you mean: microsoft" "text suggestion for Mircosoft"
# The rest of the query stays as typed (the any-word results hold chips only).
json "Mircosoft chips"
assert_eq "microsoft chips any-word" "$(json_eval '"%s %s" % (d["suggestion"], d["fallback"])' <<<"$OUT")" \
    "suggestion for Mircosoft chips"
# A lower-case word: salery is salary.
json salery
assert_eq "salary 0" "$(json_eval '"%s %d" % (d["suggestion"], len(d["hits"]))' <<<"$OUT")" \
    "suggestion for salery"
# Microsfot keeps the consonants of Microsoft, so it may be read as another
# spelling of the name: either way it leads to Microsoft.
json Microsfot
assert_eq ok "$(json_eval '"ok" if d["suggestion"] == "microsoft" or sorted(h["id"] for h in d["hits"]) ==
    ["microsoft-chips-en", "musk-openai-en", "openai-microsoft-ar", "superintelligence-en"] else d' <<<"$OUT")" \
    "Microsfot leads to Microsoft"
json المفاوضت
assert_eq "المفاوضات 0" "$(json_eval '"%s %d" % (d["suggestion"], len(d["hits"]))' <<<"$OUT")" \
    "suggestion for المفاوضت"
assert_exit 1 "$SEARCH" -d "$DB" المفاوضت
assert_contains "$OUT" "Did you mean: المفاوضات" "text suggestion for المفاوضت"
for good in Microsoft Copilot المفاوضات "salary researchers"; do
    json "$good"
    assert_eq None "$(json_eval 'str(d["suggestion"])' <<<"$OUT")" "no suggestion for $good"
    assert_exit 0 "$SEARCH" -d "$DB" "$good"
    assert_not_contains "$OUT" "Did you mean" "text for $good"
done

# ---- --explain ----
Q='"superintelligence labs" OR title:Musk -Tesla'
READ='AND_NOT(OR(phrase"superintelligence labs", title"Musk"), word"Tesla")'
expect "meta-labs-en musk-openai-en" "$Q"
assert_exit 0 "$SEARCH" -d "$DB" --explain "$Q"
assert_contains "$OUT" "read as: $READ" "text --explain shows the query as read"
assert_eq 2 "$(grep -c '^   why +[0-9]' <<<"$OUT")" "one why line per hit"
json --explain "$Q"
assert_eq "$READ" "$(json_eval 'd["parsed"]' <<<"$OUT")" "JSON parsed"
assert_eq "meta-labs-en musk-openai-en: weights > 0" "$(json_eval '" ".join(sorted(h["id"] for h in d["hits"])) + ": " +
    ("weights > 0" if all(h["why"] and all(y["weight"] > 0 for y in h["why"]) for h in d["hits"]) else str([h["why"] for h in d["hits"]]))' <<<"$OUT")" \
    "JSON --explain: why each hit matched"
json --explain "Tesla NEAR/4 robotaxi"
assert_eq 'NEAR/4(word"Tesla", word"robotaxi")' "$(json_eval 'd["parsed"]' <<<"$OUT")" "parsed NEAR"
json --explain '+chips =hired Zucker* date:2025 -"a b"'
assert_eq 'AND_NOT(AND(+word"chips", =word"hired", word"Zucker"*, date"2025"), phrase"a b")' \
    "$(json_eval 'd["parsed"]' <<<"$OUT")" "parsed flags and fields"

# ---- what users type by mistake ----
# robust [options] QUERY: exit 0 or 1 with valid JSON and text, or 2 with
# one line on stderr; never a crash.
robust()
{
    run "$SEARCH" -d "$DB" --format json "$@"
    case "$RC" in
    0 | 1) json_eval 'd["query"]' <<<"$OUT" >/dev/null ;;
    2) assert_eq 1 "$(printf '%s\n' "$ERR" | wc -l)" "one line on stderr for: $* ($ERR)" ;;
    *) fail "search $* exited $RC: $ERR" ;;
    esac
    run "$SEARCH" -d "$DB" "$@"
    [ "$RC" -le 2 ] || fail "search $* (text) exited $RC: $ERR"
    printf '%s' "$OUT" | is_utf8 || fail "text output of $* is not valid UTF-8"
}
# notes_for QUERY: the JSON notes (None when absent).
notes_for() { json "$1"; json_eval 'str(d["notes"])' <<<"$OUT"; }

expect "meta-labs-en" '"superintelligence labs'
assert_contains "$(notes_for '"superintelligence labs')" "quote" "note on an unbalanced quote"
assert_exit 0 "$SEARCH" -d "$DB" '"superintelligence labs'
assert_contains "$OUT" "Note: " "text note on an unbalanced quote"
expect "$ROBOTAXI $CHIPS" "(robotaxi OR chips"
assert_contains "$(notes_for "(robotaxi OR chips")" "(" "note on an unbalanced ("
expect "$ROBOTAXI" "robotaxi)"
assert_contains "$(notes_for "robotaxi)")" ")" "note on an unbalanced )"
expect "$ROBOTAXI" "robotaxi OR"
assert_contains "$(notes_for "robotaxi OR")" "OR" "note on a trailing OR"
expect "$ROBOTAXI" "OR robotaxi"
expect "$ROBOTAXI" "robotaxi AND"
expect "$ROBOTAXI" "robotaxi NOT"
expect "$ROBOTAXI" "robotaxi title:"
assert_contains "$(notes_for "robotaxi title:")" "field" "note on a field with no value"
assert_eq None "$(notes_for "robotaxi")" "no notes for a plain word"
# Operators or fields alone: nothing to search for, said in a note (exit 1).
for q in AND OR NOT NEAR/3 "title:" "date:" "AND OR NOT"; do
    expect "" "$q"
    assert_contains "$(notes_for "$q")" "no word to search for" "note on [$q]"
done
# Punctuation and operators alone: a note, or one line; never a crash.
for q in + - "*" = "()" '""' "(" ")" '"' "=*" "+-" "NEAR/0" "NEAR/999999999999 robotaxi" ":" "title::"; do
    robust "$q"
done
# 10,000 characters of words: more than 64 words.
long=$(awk 'BEGIN { s = ""; while (length(s) < 10000) s = s "robotaxi "; print substr(s, 1, 10000) }')
assert_eq 10000 "${#long}" "the long query"
one_line_error "$long"
one_line_error "${long}x"
# Parentheses nested too deep.
one_line_error "$(printf '(%.0s' {1..40})robotaxi$(printf ')%.0s' {1..40})"
expect "$ROBOTAXI" "$(printf '(%.0s' {1..10})robotaxi$(printf ')%.0s' {1..10})"
# Only punctuation: nothing to search for, said in a note.
expect "" '?!... ،؛ ..'
assert_contains "$(notes_for '?!... ،؛')" "no word" "note on a query of punctuation"
robust '?!... ،؛'
# Only stopwords are ordinary words here: the, of and and are together in two documents.
expect "meta-tulloch-en superintelligence-en" "the of and"
# في and من are in five Arabic documents, على in none: any of them.
expect "meta-tulloch-ar meta-labs-ar openai-microsoft-ar google-ar meta-salaries-ar" "في من على"
json "في من على"
assert_eq any-word "$(json_eval 'd["fallback"]' <<<"$OUT")" "في من على falls back"
# Invalid UTF-8 is never a crash; the valid words still count.
expect "$ROBOTAXI" $'\xff\xfe robotaxi'
expect "$ROBOTAXI" $'robotaxi \xc3\x28'
for q in $'\xff' $'\xc3' $'robo\xfftaxi' $'"\xff' $'title:\xff' $'\xed\xa0\x80 robotaxi' $'تسل\xd8'; do
    robust "$q"
done
json $'\xff\xfe robotaxi'
assert_eq 2 "$(json_eval 'len(d["hits"])' <<<"$OUT")" "JSON for a query with invalid UTF-8"
# Direction marks and isolates read as spaces.
RLM=$'\xe2\x80\x8f' RLE=$'\xe2\x80\xab' PDF=$'\xe2\x80\xac'
RLI=$'\xe2\x81\xa7' FSI=$'\xe2\x81\xa8' PDI=$'\xe2\x81\xa9'
expect "google-hired-en" "robotaxi${RLM}salary"
expect "$TESLA" "${RLE}تسلا${PDF}"
expect "$TESLA" "${RLI}تسلا${PDI}"
expect "$ROBOTAXI $CHIPS" "${FSI}robotaxi${PDI}OR${RLI}chips${PDI}"
expect "google-hired-en" "robotaxi${RLE}${PDF}salary"
# Inside quotes too: the marks between the words of a phrase copied from
# right-to-left text separate them.
expect "meta-tulloch-ar" "${RLM}\"مختبرات${RLM}الذكاء${RLM}الفائق\"${RLM}"

# ---- NEAR over groups and phrases, phrases over compounds, languages named otherwise ----
printf '%s\n' \
    '{"id":"h1","title":"x","body":"Researcher Ching-Yao Chuang joined Meta, where Andrew Tulloch hires people.","lang":"Arabic"}' \
    '{"id":"h2","title":"y","body":"Tulloch Andrew met Meta people.","lang":"en-GB"}' >"$TMP/near.jsonl"
"$INDEXER" -d "$TMP/near-db" "$TMP/near.jsonl" >/dev/null 2>&1 || fail "cannot index near.jsonl"
DB=$TMP/near-db
expect "h1" '"Ching-Yao Chuang"'
expect "h1" '(Meta joined) NEAR/3 (Andrew Tulloch)'
expect "" '(Meta joined) NEAR/1 (Andrew Tulloch)'
expect "h2" '"Tulloch Andrew" NEAR/3 Meta'
expect "h1" 'Andrew NEAR/1 Tulloch NEAR/2 hires'
expect "" 'Andrew NEAR/1 Tulloch NEAR/2 researcher'
expect "h1" 'lang:ar'
expect "h2" 'lang:en'
echo "search_query: ok"
