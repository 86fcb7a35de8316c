#!/usr/bin/env bash
# query.sh - attacks on the query path with the costliest queries the syntax
# allows, over a database of 20,000 generated Arabic and English documents
# (or the JSONL in $FIHRIS_STRESS_CORPUS, e.g. scripts/bench-corpus's):
#   - 64 prefixes that begin as many index words as allowed, joined by OR:
#     bounded by the prefix budget, and by searchd's --time-limit;
#   - 64 frequent words joined by OR, 64 misspelled words (suggestions),
#     with explanations and facets: bounded by the time limit too;
#   - a cheap query's p99 while 4 clients repeat the worst query, the
#     worst query varied each time (no answer reused) and identical (the
#     default cache);
#   - queries with no word to search for: answers, never errors.
# One line per attack: attack<TAB>ok|FAILED<TAB>figure; exit 1 when one failed.
#   BUILD_DIR=build SOURCE_DIR=. tests/stress/query.sh
source "$(dirname "$0")/../e2e/lib.sh"

LOAD_SECONDS=${FIHRIS_STRESS_SECONDS:-20}
CHEAP_P99_MS=50
failed=0

# report ATTACK OK FIGURE: one line; OK is 1 when the attack was withstood.
report()
{
    if [ "$2" = 1 ]; then
        printf '%s\tok\t%s\n' "$1" "$3"
    else
        printf '%s\tFAILED\t%s\n' "$1" "$3"
        failed=1
    fi
}

# The corpus: documents over 64 Latin stems of 470 endings each (the words a
# prefix of the stem begins), Arabic words of 3 to 6 letters, and common
# words of both languages, Zipf-distributed.
corpus=${FIHRIS_STRESS_CORPUS:-$TMP/corpus.jsonl}
if [ -z "${FIHRIS_STRESS_CORPUS:-}" ]; then
    "$PYTHON" - "$corpus" <<'PY'
import json, random, sys
r = random.Random(20251206)
stems = [a + b for a in 'bcdfghjklmnprstvwz' for b in 'aeiou'][:64]
latin = []
for s in stems:
    for k in range(470):
        latin.append(s + 'aeiou'[k % 5] + 'bcdfghklmnprstvz'[(k // 5) % 16] + 'aeiouy'[(k // 80) % 6])
letters = 'ابتثجحخدذرزسشصضطظعغفقكلمنهوي'
arabic = sorted({''.join(r.choice(letters) for _ in range(r.randint(3, 6))) for _ in range(30000)})
common = ('the of and to in is that for it with as was on by be from this are at or '
          'في من على إلى أن عن مع هذا التي الذي كان بين قد ما لا').split()
r.shuffle(latin)
r.shuffle(arabic)
def zipf(words):
    cum, total = [], 0.0
    for k in range(len(words)):
        total += 1.0 / (k + 1)
        cum.append(total)
    return lambda n: r.choices(words, cum_weights=cum, k=n)
latin_draw, arabic_draw = zipf(latin), zipf(arabic)
with open(sys.argv[1], 'w', encoding='utf-8') as f:
    for d in range(20000):
        lang = ('en', 'ar', 'mixed')[d % 3]
        n = r.randint(40, 120)
        lat, ara = iter(latin_draw(n)), iter(arabic_draw(n))
        words = []
        for _ in range(n):
            x = r.random()
            if x < 0.3:
                words.append(r.choice(common))
            elif lang == 'en' or (lang == 'mixed' and x < 0.65):
                words.append(next(lat))
            else:
                words.append(next(ara))
        f.write(json.dumps({'id': 'g%d' % d, 'title': ' '.join(words[:6]), 'body': ' '.join(words),
                            'lang': lang, 'source': 'src%d' % (d % 7),
                            'date': '20%02d-%02d-01' % (10 + d % 16, 1 + d % 12)},
                           ensure_ascii=False) + '\n')
PY
fi
DB=$TMP/db
t0=$(date +%s.%N)
"$INDEXER" --no-progress -d "$DB" "$corpus" >"$TMP/index.out" 2>&1 ||
    { echo "query.sh: cannot index $corpus: $(tail -1 "$TMP/index.out")" >&2; exit 1; }
echo "query.sh: indexed $(wc -l <"$corpus") documents in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }') s" >&2

# The worst queries, from the corpus's words: the 64 Latin prefixes of two
# or three letters that begin the most words, 480 at most each (a prefix may
# begin 500); the 64 most frequent words; 64 words of 5 letters or more
# misspelled (two letters swapped).
"$PYTHON" - "$corpus" "$TMP" <<'PY'
import collections, json, random, re, sys
corpus, tmp = sys.argv[1], sys.argv[2]
docs = collections.Counter()
for line in open(corpus, encoding='utf-8'):
    text = json.loads(line)
    docs.update(set(re.findall(r'\w+', (text.get('title', '') + ' ' + text['body']).lower())))
latin = [w for w in docs if re.fullmatch(r'[a-z]+', w)]
begin = collections.Counter()
for w in latin:
    for n in (2, 3):
        if len(w) > n:
            begin[w[:n]] += 1
prefixes, covered = [], set()
for p, n in sorted(begin.items(), key=lambda x: (-x[1], x[0])):
    if n <= 480 and not any(p.startswith(q) or q.startswith(p) for q in covered):
        prefixes.append(p)
        covered.add(p)
    if len(prefixes) == 64:
        break
open(tmp + '/worst.txt', 'w').write(' OR '.join(p + '*' for p in prefixes))
frequent = [w for w, _ in docs.most_common(64)]
open(tmp + '/frequent.txt', 'w').write(' OR '.join(frequent))
r = random.Random(5)
longs = sorted(w for w in docs if len(w) >= 5)
typos = []
for w in r.sample(longs, min(64, len(longs))):
    i = r.randrange(1, len(w) - 1)
    typos.append(w[:i] + w[i + 1] + w[i] + w[i + 2:])
open(tmp + '/typos.txt', 'w').write(' '.join(typos))
print(sum(begin[p] for p in prefixes), file=open(tmp + '/worst.words', 'w'))
PY
worst=$(cat "$TMP/worst.txt")
urlencode() { "$PYTHON" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }

# ---- the prefix budget ----
run "$SEARCH" -d "$DB" --format json "$worst"
figure=$(json_eval '"%s prefixes, ~%s index words: %s, %.0f ms" % (d["query"].count("*"), open("'"$TMP"'/worst.words").read().strip(), "budget applied" if d.get("prefixes_limited") else "NOT limited", d["elapsed_ms"])' <<<"$OUT" 2>/dev/null) ||
    figure="search failed (exit $RC): $ERR"
report "prefix budget, 64 prefixes (search)" "$([ "$RC" = 0 ] && [[ $figure == *"budget applied"* ]] && echo 1)" "$figure"

# time_each LIMIT_MS NAME QUERY [ARGS]: median and worst time of 5 answers
# from a searchd with this --time-limit; ok when all are 200 within 2 s + 2x the limit.
time_each()
{
    local limit=$1 name=$2 q args=${4:-} times=() codes="" i out
    q=$(urlencode "$3")
    for i in 1 2 3 4 5; do
        out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "$BASE/api/search?q=$q$args") || out="000 99"
        codes+="${out% *} "
        times+=("${out#* }")
    done
    local stats
    stats=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ t[NR] = $1 * 1000 } END { printf "%.0f %.0f", t[3], t[5] }')
    local ok=0
    [ "$codes" = "200 200 200 200 200 " ] &&
        awk -v w="${stats#* }" -v l="$limit" 'BEGIN { exit !(w < 2000 + 2 * l) }' && ok=1
    report "$name, --time-limit $limit" "$ok" "median ${stats% *} ms, worst ${stats#* } ms (statuses $codes)"
}

for limit in 500 50; do
    start_searchd --time-limit "$limit" --cache-mb 0
    time_each "$limit" "64 prefixes OR" "$worst"
    time_each "$limit" "64 prefixes OR, facets, explain, 100 hits" "$worst" "&facets=1&explain=1&size=100"
    time_each "$limit" "64 frequent words OR, facets, explain" "$(cat "$TMP/frequent.txt")" "&facets=1&explain=1"
    time_each "$limit" "64 misspelled words (suggestions, fallback)" "$(cat "$TMP/typos.txt")" "&explain=1"
    kill "$SEARCHD_PID"
    wait_bg "$SEARCHD_PID"
done

# ---- a cheap query while 4 clients repeat the worst ----
cat >"$TMP/load.py" <<'PY'
# load.py HOST WORST CHEAP SECONDS VARY N: N clients repeat WORST (VARY=1: its
# prefixes shuffled each time, so no answer is reused); one more sends CHEAP
# every 20 ms and times it.  Prints cheap p50 and p99, worst median, statuses.
import http.client, random, statistics, sys, threading, time, urllib.parse
host, worst, cheap, seconds, vary = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5] == '1'
nclients = int(sys.argv[6])
parts = worst.split(' OR ')
stop = time.monotonic() + seconds
heavy_ms, cheap_ms, statuses = [], [], {}
def get(conn, q):
    t = time.monotonic()
    conn.request('GET', '/api/search?q=' + urllib.parse.quote(q))
    r = conn.getresponse()
    r.read()
    statuses[r.status] = statuses.get(r.status, 0) + 1
    return (time.monotonic() - t) * 1000
def heavy(seed):
    rnd, conn = random.Random(seed), http.client.HTTPConnection(host, timeout=300)
    while time.monotonic() < stop:
        p = parts[:]
        if vary:
            rnd.shuffle(p)
        heavy_ms.append(get(conn, ' OR '.join(p)))
clients = [threading.Thread(target=heavy, args=(k,)) for k in range(nclients)]
for c in clients:
    c.start()
time.sleep(1)
conn = http.client.HTTPConnection(host, timeout=300)
while time.monotonic() < stop:
    cheap_ms.append(get(conn, cheap))
    time.sleep(0.02)
for c in clients:
    c.join()
cheap_ms.sort()
pct = lambda f: cheap_ms[min(len(cheap_ms) - 1, int(f * len(cheap_ms)))]
print('%.1f %.1f %.0f %d %s' % (pct(0.5), pct(0.99), statistics.median(heavy_ms) if heavy_ms else -1,
                                len(cheap_ms), ','.join('%s:%s' % kv for kv in sorted(statuses.items()))))
PY
cheap=$(awk '{ print $1 }' <<<"$(cat "$TMP/frequent.txt")")
for mode in varied identical; do
    if [ "$mode" = varied ]; then start_searchd --cache-mb 0; else start_searchd; fi
    base_ms=$("$PYTHON" "$TMP/load.py" "${BASE#http://}" "$worst" "$cheap" 3 0 0 2>/dev/null | awk '{ print $1 }')
    read -r p50 p99 heavy n statuses < <("$PYTHON" "$TMP/load.py" "${BASE#http://}" "$worst" "$cheap" "$LOAD_SECONDS" "$([ $mode = varied ] && echo 1 || echo 0)" 4)
    ok=$(awk -v p="$p99" -v l="$CHEAP_P99_MS" 'BEGIN { print (p < l) ? 1 : 0 }')
    [[ $statuses == "200:"* && $statuses != *,* ]] || ok=0
    report "cheap query p99, 4 clients repeating the worst ($mode$([ $mode = varied ] && echo ', no cache' || echo ', default cache'))" "$ok" \
        "cheap p50 $p50 ms p99 $p99 ms over $n (p50 ${base_ms:-?} ms alone), worst query median $heavy ms, statuses $statuses"
    kill "$SEARCHD_PID"
    wait_bg "$SEARCHD_PID"
done

# ---- nothing to search for: answers, never errors ----
start_searchd
bad=""
for q in "" " " "*" "**" "()" "(())" "+" "-" "- -" "OR" "AND" "NOT" '"' '""' "!?" "ـــ" "َُ"; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/search?q=$(urlencode "$q")")
    [ "$code" = 200 ] || bad+="[$q]:$code "
done
report "17 queries with no word to search for (searchd)" "$([ -z "$bad" ] && echo 1)" "${bad:-all 200}"

exit "$failed"
