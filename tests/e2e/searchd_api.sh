#!/usr/bin/env bash
# searchd_api.sh - searchd as a website uses it: every endpoint, every error
# status, the same JSON as `search --format json`, a request made while the
# indexer writes (and the change picked up without a restart), CORS only for
# the origins given, a clean stop on SIGTERM, and the extra JSONL fields of a
# document as /api/doc returns them.
source "$(dirname "$0")/lib.sh"

DB=$TMP/db
"$INDEXER" -d "$DB" "$SOURCE_DIR/tests/fixtures/news/news.jsonl" >/dev/null 2>&1 ||
    fail "cannot index the news fixture"

# get PATH [CURL ARGS...]: the body in $BODY, the status in $STATUS.
get()
{
    local path=$1
    shift
    BODY=$(curl -s -o - -w '\n%{http_code}' "$@" "$BASE$path") || fail "curl $path failed"
    STATUS=${BODY##*$'\n'}
    BODY=${BODY%$'\n'*}
}

# expect_error STATUS PATH [CURL ARGS...]: a JSON error with this status.
expect_error()
{
    local want=$1 path=$2
    shift 2
    get "$path" "$@"
    assert_eq "$want" "$STATUS" "status of $path $*"
    assert_eq "True" "$(json_eval 'str(isinstance(d["error"], str) and len(d) == 1)' <<<"$BODY")" \
        "JSON error body of $path"
    assert_not_contains "$BODY" "$TMP" "an error names no path"
}

start_searchd

# ---- endpoints ----
get /healthz
assert_eq 200 "$STATUS" "healthz"
assert_eq "ok 16" "$(json_eval '"%s %d" % (d["status"], d["documents"])' <<<"$BODY")" "healthz body"

# /api/search answers what search --format json prints (less the time taken).
strip='{k: v for k, v in d.items() if k != "elapsed_ms"}'
for q in 'زوكربيرغ' 'Meta OR ميتا' '"مختبرات الذكاء الفائق"' 'robotaxi salary chips'; do
    get "/api/search?q=$("$PYTHON" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$q")"
    assert_eq 200 "$STATUS" "search $q"
    "$SEARCH" -d "$DB" --format json "$q" >"$TMP/cli.json" 2>/dev/null
    assert_eq "$(json_eval "$strip" <"$TMP/cli.json")" "$(json_eval "$strip" <<<"$BODY")" \
        "API and CLI give the same JSON for $q"
done

# Pagination: page 2 of size 3 is ranks 4..6 of the whole list.
get "/api/search?q=OpenAI&size=3&page=2"
assert_eq "[4, 5, 6]" "$(json_eval '[h["rank"] for h in d["hits"]]' <<<"$BODY")" "page 2 ranks"
all=$("$SEARCH" -d "$DB" --format ids -n 6 OpenAI | tail -3 | paste -sd' ' -)
assert_eq "$all" "$(json_eval '" ".join(h["id"] for h in d["hits"])' <<<"$BODY")" "page 2 ids"
get "/api/search?q=OpenAI&sort=date&facets=1&size=1"
assert_eq "meta-salaries-ar True" \
    "$(json_eval '"%s %s" % (d["hits"][0]["id"], "facets" in d)' <<<"$BODY")" "sort and facets"

# explain=1: why each hit matched, as search --explain says it
get "/api/search?q=Zuckerberg&explain=1&size=2"
"$SEARCH" -d "$DB" --format json --explain -n 2 Zuckerberg >"$TMP/cli.json" 2>/dev/null
assert_eq "$(json_eval "$strip" <"$TMP/cli.json")" "$(json_eval "$strip" <<<"$BODY")" \
    "explain=1 gives what search --explain gives"
assert_eq "True" "$(json_eval 'str(all(h["why"] for h in d["hits"]))' <<<"$BODY")" "each hit says why"

get "/api/suggest?q=%D8%B2%D9%88%D9%83%D8%B1" # زوكر
assert_eq 200 "$STATUS" "suggest"
assert_contains "$(json_eval '" ".join(d["suggestions"])' <<<"$BODY")" "زوكربيرغ" "suggest completes زوكر"
get "/api/suggest?q=Mark%20Zucker"
assert_eq "zuckerberg زوكربيرج زوكربيرغ" "$(json_eval '" ".join(d["suggestions"])' <<<"$BODY")" \
    "suggest completes the last word, then in the other script"
get "/api/suggest?q=%D8%B2%D9%88%D9%83%D8%B1" # زوكر
assert_eq "zuckerberg" "$(json_eval 'd["suggestions"][-1]' <<<"$BODY")" \
    "suggest completes زوكر in Latin letters too"

get /api/doc/meta-tulloch-en
assert_eq 200 "$STATUS" "doc"
assert_eq "meta-tulloch-en Reuters 2025-08-12 {}" \
    "$(json_eval '"%s %s %s %s" % (d["id"], d["source"], d["date"], json.dumps(d["extra"]))' <<<"$BODY")" \
    "doc fields (and no extra ones)"

get /
assert_eq 200 "$STATUS" "the page"
assert_contains "$BODY" '<html lang="ar" dir="rtl">' "the page is Arabic, right to left"

# ---- security headers ----
# headers PATH: the response headers of a HEAD request, without CRs.
headers()
{
    curl -sI "$BASE$1" | tr -d '\r' || fail "curl -I $1 failed"
}
# The page runs its own script and style only, never inline code (an
# injected script or handler is refused), fetches from searchd only and
# cannot be framed; it sends no Referer, which would carry the query.
for path in / "/?lang=en&q=%D9%85%D9%8A%D8%AA%D8%A7"; do
    h=$(headers "$path")
    csp=$(grep -i '^Content-Security-Policy: ' <<<"$h")
    for directive in "default-src 'none'" "script-src 'self';" "style-src 'self';" \
        "connect-src 'self';" "frame-ancestors 'none'" "base-uri 'none'" \
        "require-trusted-types-for 'script'"; do
        assert_contains "$csp" "$directive" "the page's policy ($path) has $directive"
    done
    assert_not_contains "$csp" "unsafe-" "the page's policy ($path) allows no inline code or eval"
    for header in "X-Frame-Options: DENY" "Referrer-Policy: no-referrer" \
        "X-Content-Type-Options: nosniff" "Content-Type: text/html; charset=utf-8"; do
        assert_contains "$h" "$header" "the page ($path) is sent with $header"
    done
done
# ... so the page holds no inline script, style or handler: they are its files.
assert_eq "" "$(grep -Eio '<script>|<script [^>]*>[^<]|<style|style=|[[:space:]]on[a-z]+=' <<<"$BODY")" \
    "the page has no inline script, style or handler"
assert_contains "$BODY" '<script src="/app.js"></script>' "the page loads /app.js"
assert_contains "$BODY" '<link rel="stylesheet" href="/app.css">' "the page loads /app.css"
for file in app.js:text/javascript app.css:text/css; do
    name=${file%%:*} type=${file#*:}
    h=$(headers "/$name")
    assert_contains "$h" "HTTP/1.1 200" "/$name is served"
    assert_contains "$h" "Content-Type: $type; charset=utf-8" "/$name is $type"
    assert_contains "$h" "X-Content-Type-Options: nosniff" "/$name is not sniffed"
    curl -s -o "$TMP/$name" "$BASE/$name" || fail "curl /$name failed"
    cmp -s "$TMP/$name" "$SOURCE_DIR/searcher/web/$name" || fail "/$name is not searcher/web/$name"
done
# The answers of the API are no documents: they may load nothing, be framed
# by no page, nor be sniffed into one.
for path in "/api/search?q=Meta" /healthz /no/such/path; do
    h=$(headers "$path")
    for header in "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'" \
        "X-Frame-Options: DENY" "Referrer-Policy: no-referrer" "X-Content-Type-Options: nosniff"; do
        assert_contains "$h" "$header" "$path is sent with $header"
    done
done

# ---- errors ----
expect_error 404 /api/doc/no-such-document
expect_error 404 /no/such/path
expect_error 404 /etc/passwd
expect_error 404 "/..%2f..%2fetc%2fpasswd"
expect_error 400 /api/search
expect_error 400 "/api/search?q=a&size=1000"
expect_error 400 "/api/search?q=a&page=0"
expect_error 400 "/api/search?q=a&sort=price"
expect_error 400 "/api/search?q=a&explain=maybe"
expect_error 400 "/api/search?q=date:soon"
expect_error 400 /api/suggest
expect_error 405 "/api/search?q=a" -X POST
expect_error 405 /healthz -X DELETE
expect_error 413 "/api/search?q=a" -X POST --data-binary "x=1"
expect_error 414 "/api/search?q=$(head -c 5000 /dev/zero | tr '\0' a)"

# ---- CORS: only the origins given ----
get /healthz -H "Origin: https://evil.example" -D "$TMP/headers"
assert_not_contains "$(cat "$TMP/headers")" "Access-Control-Allow-Origin" "no CORS by default"

# ---- the answer cache ----
# The same search again is answered from the cache, with the same body.
get "/api/search?q=Zuckerberg&size=5" -D "$TMP/headers"
first=$BODY
assert_contains "$(cat "$TMP/headers")" "X-Fihris-Cache: miss" "a first search is computed"
get "/api/search?q=Zuckerberg&size=5" -D "$TMP/headers"
assert_contains "$(cat "$TMP/headers")" "X-Fihris-Cache: hit" "the same search is reused"
assert_eq "$first" "$BODY" "a reused answer is the answer"
get "/api/search?q=Zuckerberg&size=5&page=2" -D "$TMP/headers"
assert_contains "$(cat "$TMP/headers")" "X-Fihris-Cache: miss" "another page is another answer"
get /healthz
assert_eq "True" "$(json_eval 'str(d["cache"]["hits"] >= 1 and d["cache"]["lookups"] >= 3)' <<<"$BODY")" \
    "healthz counts the cache's hits"

# ---- while the indexer writes ----
gen_jsonl "$TMP/more.jsonl" 3000 more
start_bg "$TMP/indexer" "$INDEXER" -d "$DB" "$TMP/more.jsonl"
INDEXER_PID=$BG_PID
get "/api/search?q=Zuckerberg"
assert_eq 200 "$STATUS" "a search while the indexer writes"
wait_bg "$INDEXER_PID"
assert_eq 0 "$BG_RC" "the indexer finished"
get /healthz
assert_eq "200 3016" "$STATUS $(json_eval 'd["documents"]' <<<"$BODY")" \
    "the new documents are counted without a restart"
get "/api/search?q=id:more-2999"
assert_eq "more-2999" "$(json_eval 'd["hits"][0]["id"]' <<<"$BODY")" \
    "and found"
# A commit makes the answers kept before it miss.
get "/api/search?q=Zuckerberg&size=5" -D "$TMP/headers"
assert_contains "$(cat "$TMP/headers")" "X-Fihris-Cache: miss" "a commit empties the cache"

# ---- a clean stop ----
kill -TERM "$SEARCHD_PID"
wait_bg "$SEARCHD_PID"
assert_eq 0 "$BG_RC" "searchd exits 0 on SIGTERM"
assert_contains "$(cat "$TMP/searchd.err")" "GET /healthz 200" "requests are logged"

# CORS for a given origin; a missing database is 503, not a crash.
DB=$TMP/no-such-db
start_searchd --cors-origin https://news.example --quiet
get /healthz
assert_eq "503 unavailable there is no database" \
    "$STATUS $(json_eval '"%s %s" % (d["status"], d["error"])' <<<"$BODY")" "healthz without a database"
expect_error 503 "/api/search?q=a"
get /healthz -H "Origin: https://news.example" -D "$TMP/headers"
assert_contains "$(cat "$TMP/headers")" "Access-Control-Allow-Origin: https://news.example" "CORS for a given origin"
kill -INT "$SEARCHD_PID"
wait_bg "$SEARCHD_PID"
assert_eq 0 "$BG_RC" "searchd exits 0 on SIGINT"
assert_not_contains "$(cat "$TMP/searchd.err")" "GET " "--quiet logs no request"

# A name's spellings follow the commits: a searcher that knew Zuckerberg
# with no Arabic spelling learns زوكربيرغ once a document writes it (one
# worker and no answer cache, so that the same reader answers both times).
DB=$TMP/names-db
cat >"$TMP/en.jsonl" <<'EOF'
{"id": "en1", "title": "Zuckerberg hires", "body": "Mark Zuckerberg hired a new researcher for Meta.", "lang": "en"}
EOF
cat >"$TMP/ar.jsonl" <<'EOF'
{"id": "ar1", "title": "مارك زوكربيرغ", "body": "قال مارك زوكربيرغ إن ميتا ستبني مختبرا جديدا.", "lang": "ar"}
EOF
"$INDEXER" -d "$DB" "$TMP/en.jsonl" >/dev/null 2>&1 || fail "cannot index en.jsonl"
start_searchd --threads 1 --cache-mb 0 --quiet
get "/api/search?q=Zuckerberg"
assert_eq "en1" "$(json_eval '" ".join(h["id"] for h in d["hits"])' <<<"$BODY")" "before"
"$INDEXER" -d "$DB" "$TMP/ar.jsonl" >/dev/null 2>&1 || fail "cannot index ar.jsonl"
get "/api/search?q=Zuckerberg"
assert_eq "ar1 en1" "$(json_eval '" ".join(sorted(h["id"] for h in d["hits"]))' <<<"$BODY")" \
    "a spelling committed meanwhile is found"
kill -TERM "$SEARCHD_PID"
wait_bg "$SEARCHD_PID"

# The JSONL fields beyond id, title, body, url, date, source and lang are
# stored as given (nested values, numbers as written, their order) and
# returned by /api/doc as "extra"; they are not searched.  64 KB of them a
# document: a field past that is dropped with a warning.
DB=$TMP/extra-db
big=$(head -c 70000 /dev/zero | tr '\0' x)
fits=$(head -c $((65536 - 8)) /dev/zero | tr '\0' y) # {"k":"..."}: 64 KB exactly
cat >"$TMP/extra.jsonl" <<EOF
{"id": "x1", "title": "Extra", "body": "extraword", "author": "سارة", "tags": ["a", {"b": [1, 0.1, null]}], "date": "2024-01-02", "rank": 2.5e10, "path": "p", "url": 7}
{"id": "x2", "body": "extraword plain"}
{"id": "x3", "body": "extraword big", "small": 1, "huge": "$big", "after": true}
{"id": "x4", "body": "extraword fits", "k": "$fits"}
EOF
assert_exit 0 "$INDEXER" -d "$DB" "$TMP/extra.jsonl"
assert_contains "$ERR" "extra.jsonl:3: extra fields over 64 KB dropped (1: \"huge\")" "a field past the limit"
assert_contains "$OUT" "warning: extra fields over 64 KB dropped (1)" "the summary counts it"
start_searchd --quiet
get /api/doc/x1
assert_eq 200 "$STATUS" "a document with extra fields"
assert_contains "$BODY" '"extra":{"author":"سارة","tags":["a",{"b":[1,0.1,null]}],"rank":25000000000.0,"path":"p"}' \
    "extra fields as given, in their order"
assert_eq "Extra 2024-01-02 None" "$(json_eval '"%s %s %s" % (d["title"], d["date"], d["url"])' <<<"$BODY")" \
    "the known fields are not extra"
get /api/doc/x2
assert_eq "{}" "$(json_eval 'json.dumps(d["extra"])' <<<"$BODY")" "a document without extra fields"
get /api/doc/x3
assert_eq '{"small": 1, "after": true}' "$(json_eval 'json.dumps(d["extra"])' <<<"$BODY")" \
    "the fields that fit are kept"
get /api/doc/x4
assert_eq 65536 "$(json_eval 'len(json.dumps(d["extra"], separators=(",", ":")))' <<<"$BODY")" \
    "64 KB of extra fields"
get "/api/search?q=%D8%B3%D8%A7%D8%B1%D8%A9" # سارة
assert_eq 0 "$(json_eval 'd["total"]' <<<"$BODY")" "extra fields are not searched"
# An extra field changed: the document is stored again; unchanged: skipped.
sed -i 's/"author": "سارة"/"author": "Sara"/' "$TMP/extra.jsonl"
assert_exit 0 "$INDEXER" -d "$DB" "$TMP/extra.jsonl"
assert_eq "0 added, 1 replaced, 3 unchanged, 0 skipped, 0 failed, 2 warnings" "$(summary_counts "$OUT")" \
    "a changed extra field replaces its document"
get /api/doc/x1
assert_eq "Sara" "$(json_eval 'd["extra"]["author"]' <<<"$BODY")" "the new extra field"
kill -TERM "$SEARCHD_PID"
wait_bg "$SEARCHD_PID"

# A port in use: a clear message, exit 2.
start_searchd
run "$SEARCHD" -d "$DB" --listen "127.0.0.1:${BASE##*:}"
assert_eq 2 "$RC" "a second searchd on the same port"
assert_contains "$ERR" "cannot listen" "the message says why"
echo "ok"
