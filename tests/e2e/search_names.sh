#!/usr/bin/env bash
# Names across scripts and spellings, on the articles of corpus/: which
# articles answer a name typed another way, and that the article's own
# spelling ranks above other spellings and above look-alike common words;
# and that a database indexed with --no-names matches names only as written.
# Expected sets come from the articles (grep), not from the program:
#   زوكربيرغ 000 001 002 004, زوكربيرج 003 004; تولوش 000, تولوخ 001;
#   غوغل 000 002 (لغوغل), جوجل 003 004, Google 001; ألتمان 001 002 003 004;
#   هسابيس 002; إنفيديا 004; موراتي 001; بلومبرغ 000; سرينيفاس 002;
#   كوليسنيكوف 002; وانغ 002 004; Scale 002 003 004.
source "$(dirname "$0")/lib.sh"

DB=$TMP/db
cd "$SOURCE_DIR" || fail "cd $SOURCE_DIR"
assert_exit 0 "$INDEXER" -d "$DB" --no-progress corpus

# article_numbers: ids on stdin (paths) as article numbers on one line.
article_numbers() { sed 's|.*/||; s/_.*//' | tr '\n' ' ' | sed 's/ $//'; }

# numbers QUERY [options]: the article numbers answering QUERY, best first.
numbers()
{
    "$SEARCH" -d "$DB" --format ids -n 10 "$@" | article_numbers
}
sorted() { tr ' ' '\n' <<<"$1" | sort | tr '\n' ' ' | sed 's/ $//'; }

# expect QUERY "NNN ...": exactly these articles (in any order).
expect()
{
    assert_eq "$2" "$(sorted "$(numbers "$1")")" "articles for $1"
}

expect Zuckerberg "000 001 002 003 004"
expect zuckerberg "000 001 002 003 004"
expect زوكربرج "000 001 002 003 004"
expect "مارك زاكربيرج" "000 001 002 003 004"
expect Google "000 001 002 003 004"
expect غوغل "000 001 002 003 004"
expect Altman "001 002 003 004"
expect Hassabis 002
expect Nvidia 004
expect انفيديا 004
expect Murati 001
expect Bloomberg 000
expect Srinivas 002
expect Kolesnikov 002
expect سكيل "002 003 004"

# Tulloch: both Arabic spellings, and they rank first.
tulloch=$(numbers Tulloch)
assert_eq "000 001" "$(sorted "$(cut -d' ' -f1-2 <<<"$tulloch")")" "the two Tulloch articles rank first"
first=$(numbers تولوش | cut -d' ' -f1)
assert_eq 000 "$first" "تولوش: the article that writes it so ranks first"
assert_contains "$(numbers تولوش)" "001" "تولوش finds تولوخ"

# Wang: both articles that mention وانغ rank above anything else.
wang=$(numbers Wang)
assert_eq "002 004" "$(sorted "$(cut -d' ' -f1-2 <<<"$wang")")" "the two Wang articles rank first"

# The exact spelling outranks another spelling: زوكربيرج is exact in 003/004.
top2=$(numbers زوكربيرج | cut -d' ' -f1-2)
assert_eq "003 004" "$(sorted "$top2")" "exact spelling first"

# Switched off, names match only as written.
assert_eq "" "$(numbers --no-names Zuckerberg)" "--no-names Zuckerberg"
assert_eq "003 004" "$(sorted "$(numbers --no-names زوكربيرج)")" "--no-names زوكربيرج"

# Indexed with --no-names, a database files no spellings: Zuckerberg finds
# none of the articles that write him in Arabic only (grep), all of which
# the database indexed with names finds.  A search that fails must not pass
# for one that finds nothing, hence the exit status.
NONAMES=$TMP/db-no-names
assert_exit 0 "$INDEXER" -d "$NONAMES" --no-progress --no-names corpus
arabic_only=$(grep -lE 'زوكربيرغ|زوكربيرج' corpus/* | xargs grep -Li zuckerberg | article_numbers)
[ -n "$arabic_only" ] || fail "no article writes Zuckerberg in Arabic only: nothing to check"
with_names=$(numbers Zuckerberg)
run "$SEARCH" -d "$NONAMES" --format ids -n 10 Zuckerberg
[ "$RC" -le 1 ] || fail "search -d $NONAMES Zuckerberg exited $RC: $ERR"
without_names=$(article_numbers <<<"$OUT")
for n in $arabic_only; do
    assert_contains " $with_names " " $n " "Zuckerberg, names indexed: article $n"
    assert_not_contains " $without_names " " $n " "Zuckerberg, indexed with --no-names: article $n"
done
run "$SEARCH" -d "$NONAMES" --format ids -n 10 زوكربيرج
assert_eq "003 004" "$(sorted "$(article_numbers <<<"$OUT")")" "زوكربيرج as written, --no-names index"
# Names on again: every article is indexed again, not skipped as unchanged.
assert_exit 0 "$INDEXER" -d "$NONAMES" --no-progress corpus
assert_eq 5 "$(summary_count "$OUT" replaced)" "articles replaced when names come back on"
run "$SEARCH" -d "$NONAMES" --format ids -n 10 Zuckerberg
assert_eq "000 001 002 003 004" "$(sorted "$(article_numbers <<<"$OUT")")" \
    "Zuckerberg once names are back on"

# Variants are highlighted in the snippet.
assert_exit 0 "$SEARCH" -d "$DB" -n 1 Tulloch
assert_contains "$OUT" "**تولو" "the other spelling is highlighted"
# --explain: each hit says which words matched, how, and what each added;
# the parts add up to the hit's score.
check=$("$SEARCH" -d "$DB" --explain --format json Zuckerberg | json_eval '
[h["id"] for h in d["hits"]
 if abs(sum(y["weight"] for y in h["why"]) - h["score"]) > 1e-6 * max(1, h["score"])] or
[h["id"] for h in d["hits"] if not any(y["how"] == "other script" for y in h["why"])] or
("ok" if d["words"][0]["word"] == "zuckerberg" and "زوكربيرغ" in d["words"][0]["spellings"]
 and "query_tree" in d else d["words"])')
assert_eq ok "$check" "--explain for Zuckerberg"
check=$("$SEARCH" -d "$DB" --explain --format json زوكربيرج | json_eval '
sorted(set(y["how"] for h in d["hits"] for y in h["why"]))')
assert_eq '["exact", "other spelling", "stem"]' "$check" "--explain kinds for زوكربيرج"
assert_exit 2 "$SEARCH" -d "$DB" --explain --format ids Zuckerberg

# What counts as a name, on documents of our own:
# - ماكرون shares its stem with the ordinary ماكرين/الماكرين (more documents
#   than the name), yet is Macron: a Latin spelling that sounds the same is
#   enough, both ways;
# - "market" is capitalized once (Market Street) but written in lower case
#   by most documents: an ordinary word, so it does not meet ماركت.
cat >"$TMP/names.jsonl" <<'EOF'
{"id":"macron-en","body":"President Macron visited the city today."}
{"id":"macron-ar","body":"قال ماكرون إن المحادثات مستمرة"}
{"id":"makir-1","body":"والله خير الماكرين في كل حال"}
{"id":"makir-2","body":"إن الماكرين لا يفلحون"}
{"id":"makir-3","body":"وكان الماكرون كثيرين"}
{"id":"market-1","body":"the market fell sharply"}
{"id":"market-2","body":"prices on the market rose"}
{"id":"market-3","body":"a quiet market day"}
{"id":"market-4","body":"they met on Market Street"}
{"id":"market-ar","body":"افتتح ماركت جديد في المدينة"}
{"id":"mozart-en","body":"A concert of Mozart opened the season."}
{"id":"mozart-ar1","body":"عزفت الفرقة سيمفونية لموتسارت مساء أمس"}
{"id":"mozart-ar2","body":"حفل موسيقي لموزارت في فيينا"}
{"id":"newton-en","body":"Isaac Newton described gravity."}
{"id":"newton-1","body":"قانون نيوتن الأول في الحركة"}
{"id":"newton-2","body":"اكتشف نيوتون الجاذبية"}
{"id":"zurich-en","body":"The meeting was held in Zurich."}
{"id":"zurich-1","body":"عقد الاجتماع في زيورخ"}
{"id":"zurich-2","body":"مصرف في زوريخ"}
{"id":"cook-ar","body":"قال تيم كوك إن المبيعات ارتفعت"}
{"id":"cook-en","body":"Tim Cook said sales rose."}
{"id":"wang-ar","body":"قال الباحث وانغ إن النموذج جاهز"}
{"id":"wang-other","body":"وانك لعلى خلق عظيم"}
{"id":"iphone-en","body":"The iPhone sold well."}
{"id":"iphone-ar","body":"بيع هاتف آيفون الجديد"}
{"id":"martin-short","body":"قال مارتن إن الخطة جاهزة"}
{"id":"martin-full","body":"قال مارتين إن الخطة جاهزة"}
{"id":"altman-ar","body":"قال سام ألتمان إن الشركة ستطلق نموذجا جديدا"}
{"id":"price-1","body":"ارتفع الثمن كثيرا هذا العام"}
{"id":"price-2","body":"دفع الثمن كاملا"}
EOF
assert_exit 0 "$INDEXER" -d "$TMP/namesdb" --no-progress "$TMP/names.jsonl"
ids() { "$SEARCH" -d "$TMP/namesdb" --format ids -n 20 "$1" | tr '\n' ' '; }
assert_contains " $(ids Macron)" " macron-ar " "Macron finds ماكرون"
assert_contains " $(ids ماكرون)" " macron-en " "ماكرون finds Macron"
assert_not_contains " $(ids market)" " market-ar " "market, an ordinary word, finds ماركت"
assert_not_contains " $(ids ماركت)" " market-4 " "ماركت finds Market Street"
# ماكرون is searched as a name, not by the stem it shares with الماكرين.
assert_not_contains " $(ids ماكرون)" " makir-1 " "ماكرون finds الماكرين"
# Two Arabic spellings that read differently meet through the Latin one.
assert_contains " $(ids موزارت)" " mozart-ar1 " "موزارت finds لموتسارت"
assert_contains " $(ids موتسارت)" " mozart-ar2 " "موتسارت finds لموزارت"
# Long vowels written or left out, or in another order (a Latin spelling in
# the index is the evidence that these Arabic words are names).
assert_contains " $(ids نيوتن)" " newton-2 " "نيوتن finds نيوتون"
assert_contains " $(ids نيوتون)" " newton-1 " "نيوتون finds نيوتن"
assert_contains " $(ids زيورخ)" " zurich-2 " "زيورخ finds زوريخ"
assert_contains " $(ids زوريخ)" " zurich-1 " "زوريخ finds زيورخ"
# A three-letter name, both ways; a name with a capital inside.
assert_contains " $(ids Cook)" " cook-ar " "Cook finds كوك"
assert_contains " $(ids كوك)" " cook-en " "كوك finds Cook"
assert_contains " $(ids iPhone)" " iphone-ar " "iPhone finds آيفون"
assert_contains " $(ids آيفون)" " iphone-en " "آيفون finds iPhone"
# Of two spellings of Martin in documents otherwise alike, the one written
# as the name sounds (مارتين) ranks first, though the other came first.
assert_eq "martin-full" "$(ids Martin | cut -d' ' -f1)" "Martin: the closest spelling first"
# A common word that shares consonants with a name ranks below the name, if
# it matches at all: الثمن ("the price") and Altman.
altman=$(ids Altman)
assert_eq "altman-ar" "$(cut -d' ' -f1 <<<"$altman")" "Altman: ألتمان first"
# Wang is وانغ, not وانك ("and that you"), which reads the same letter for
# letter: the spelling written as the name sounds ranks first.
assert_eq "wang-ar" "$(ids Wang | cut -d' ' -f1)" "Wang: وانغ first"
echo ok
