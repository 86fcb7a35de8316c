#!/usr/bin/env bash
# Names the other way: an Arabic spelling that no document holds finds the
# English articles that write the name in Latin letters, foreign names and
# Arabic ones (whose Latin spellings write the short vowels Arabic leaves
# out); ordinary words do not pull in names; a name held by most documents
# of a topical archive stays a name; and --explain says when a word was not
# searched as a name, and why.
source "$(dirname "$0")/lib.sh"

# English articles, one name each; Arabic ones that share consonants with
# some of the names without being them (المهد "the cradle", آل عمران).
cat >"$TMP/docs.jsonl" <<'EOF'
{"id":"volker","body":"Officials said Volker would chair the new committee."}
{"id":"levin","body":"The report quoted Levin on the budget talks."}
{"id":"lumbu","body":"Witnesses said Lumbu left the capital on Monday."}
{"id":"nesreen","body":"The singer Nesreen released a new album."}
{"id":"nisrin","body":"An interview with Nisrin about her first novel."}
{"id":"jehad","body":"The coach said Jehad would miss the final."}
{"id":"mehdi","body":"The minister met Mehdi in the morning."}
{"id":"abdelaziz","body":"The talks were led by Abdelaziz on behalf of the ministry."}
{"id":"omar","body":"The mayor said Omar had resigned."}
{"id":"jeddah","body":"The summit will be held in Jeddah next month."}
{"id":"sadat","body":"A biography of Sadat was published this week."}
{"id":"mohamed","body":"The striker Mohamed scored twice."}
{"id":"mahmoud","body":"The poet Mahmoud read from his work."}
{"id":"cradle-1","body":"وضعت الأم طفلها في المهد"}
{"id":"cradle-2","body":"كان الطفل نائما في المهد طوال الليل"}
{"id":"imran-1","body":"تلا الإمام آيات من سورة آل عمران"}
{"id":"market","body":"ذهب الناس إلى السوق صباحا"}
EOF
DB=$TMP/db
assert_exit 0 "$INDEXER" -d "$DB" --no-progress "$TMP/docs.jsonl"
# ids QUERY: the ids answering QUERY, best first, on one line with spaces around.
ids() { echo " $("$SEARCH" -d "$DB" --format ids -n 20 "$@" | tr '\n' ' ')"; }
first() { "$SEARCH" -d "$DB" --format ids -n 1 "$@"; }

# Foreign names.
assert_eq volker "$(first فولكر)" "فولكر finds Volker"
assert_eq levin "$(first ليفين)" "ليفين finds Levin"
assert_eq lumbu "$(first لومبو)" "لومبو finds Lumbu"
# Arabic names: both Latin spellings; the name before the words that share
# its stem or consonants (مهد, عمران); the article may go (Sadat).
assert_eq "nesreen nisrin" "$(ids نسرين | xargs -n1 | sort | xargs)" "نسرين finds Nesreen and Nisrin"
assert_eq jehad "$(first جهاد)" "جهاد finds Jehad"
assert_eq mehdi "$(first مهدي)" "مهدي: Mehdi before المهد"
assert_eq abdelaziz "$(first عبدالعزيز)" "عبدالعزيز finds Abdelaziz"
assert_eq omar "$(first عمر)" "عمر: Omar before آل عمران"
assert_eq jeddah "$(first جدة)" "جدة finds Jeddah"
assert_eq sadat "$(first السادات)" "السادات finds Sadat"
# Latin writes the short vowels, but a long one is written in Arabic too:
# محمد is Mohamed, not Mahmoud (محمود).
mohamed=$(ids محمد)
assert_contains "$mohamed" " mohamed " "محمد finds Mohamed"
assert_not_contains "$mohamed" " mahmoud " "محمد finds Mahmoud"
# A word the Arabic documents hold as an ordinary word is searched as written.
assert_eq " market " "$(ids السوق)" "السوق, held by an Arabic document"
# Switched off, the Arabic spelling finds nothing.
run "$SEARCH" -d "$DB" --format ids --no-names فولكر
assert_eq "1:" "$RC:$OUT" "--no-names فولكر"
# --explain: the word's other spellings, and the Latin ones rank first.
check=$("$SEARCH" -d "$DB" --explain --format json جهاد | json_eval '
"ok" if d["words"][0]["spellings"][:1] == ["jehad"] and d["words"][0]["not_a_name"] is None
else d["words"]')
assert_eq ok "$check" "--explain for جهاد"

# A topical archive: every article is about Zuckerberg, 28 write him in Latin
# letters, 41 in Arabic (one both).  However frequent, the name finds every
# article in either script, while من, قال and "the", in every article, stay
# ordinary words; --explain says why.
: >"$TMP/topic.jsonl"
for i in $(seq 1 68); do
    if [ "$i" -le 27 ]; then
        body="In the news $i, the company of Zuckerberg announced a change. قال المتحدث من الشركة إن الخطة جاهزة"
    elif [ "$i" -eq 28 ]; then
        body="In the news $i, the plans of Zuckerberg. قال زوكربيرغ من جديد إن الخطة جاهزة"
    else
        body="In the news $i, the update. قال زوكربيرغ من مقر الشركة إن الخطة جاهزة"
    fi
    printf '{"id":"t%d","body":"%s"}\n' "$i" "$body" >>"$TMP/topic.jsonl"
done
TOPIC=$TMP/topic-db
assert_exit 0 "$INDEXER" -d "$TOPIC" --no-progress "$TMP/topic.jsonl"
count() { "$SEARCH" -d "$TOPIC" --format ids -n 100 "$@" | wc -l; }
assert_eq 28 "$(count --no-names Zuckerberg)" "Zuckerberg as written"
assert_eq 41 "$(count --no-names زوكربيرغ)" "زوكربيرغ as written"
assert_eq 68 "$(count Zuckerberg)" "Zuckerberg, held by 28 of 68, finds all 68"
assert_eq 68 "$(count زوكربيرغ)" "زوكربيرغ, held by 41 of 68, finds all 68"
explain_word() {
    "$SEARCH" -d "$TOPIC" --explain --format json "$1" |
        json_eval 'd["words"][0]["not_a_name"] or "a name"'
}
assert_eq "a name" "$(explain_word زوكربيرغ)" "--explain زوكربيرغ"
assert_contains "$(explain_word the)" "lower case" "--explain the"
assert_contains "$(explain_word من)" "too short" "--explain من"
assert_contains "$(explain_word قال)" "in 68 documents" "--explain قال"
"$SEARCH" -d "$TOPIC" --explain -n 1 قال >"$TMP/explain.txt"
assert_contains "$(cat "$TMP/explain.txt")" "not a name: in 68 documents" "--explain text for قال"
echo ok
