#!/usr/bin/env bash
# searchd_write.sh - documents over HTTP: a document posted is found,
# replaced (the new text found, the old gone) and deleted; a batch with a
# malformed document keeps the rest and says which line failed; every error
# status of the write endpoints (400, 401, 403, 404, 405, 413, 415, and 503
# for too many writes at once); the admin and search keys missing, wrong
# and right, and never in the log; keys refused on the command line, in a
# file others may read, or empty; searches during writes with no 5xx; an
# indexer refused, saying why, while searchd holds the writer; a call whose
# documents hold more index terms than one commit takes.
source "$(dirname "$0")/lib.sh"

DB=$TMP/db
"$INDEXER" -d "$DB" "$SOURCE_DIR/tests/fixtures/news/news.jsonl" >/dev/null 2>&1 ||
    fail "cannot index the news fixture"
CLIENT=$SOURCE_DIR/tests/e2e/hostile_client.py

random_key() { printf '%s-%s' "$1" "$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"; }
ADMIN_KEY=$(random_key admin)
SEARCH_KEY=$(random_key search)
WRONG_KEY=$(random_key wrong)
(
    umask 077
    printf '%s\n' "$ADMIN_KEY" >"$TMP/admin.key"
    printf '%s\r\n' "$SEARCH_KEY" >"$TMP/search.key"
)
ADMIN=(-H "Authorization: Bearer $ADMIN_KEY")
SEARCHER=(-H "Authorization: Bearer $SEARCH_KEY")
JSON=(-H "Content-Type: application/json")
JSONL=(-H "Content-Type: application/x-ndjson")

# expect_error STATUS METHOD PATH [CURL ARGS...]: a JSON error with this
# status; its message in $MESSAGE.
expect_error()
{
    local want=$1 method=$2 path=$3
    shift 3
    call "$method" "$path" "$@"
    assert_eq "$want" "$STATUS" "status of $method $path $* ($BODY)"
    MESSAGE=$(json_eval 'd["error"] if len(d) == 1 else "not one error: %s" % d' <<<"$BODY")
}

post() # post JSON|JSONL TEXT [CURL ARGS...]: POST /api/documents with the admin key
{
    local -n type=$1
    local text=$2
    shift 2
    call POST /api/documents "${ADMIN[@]}" "${type[@]}" --data-binary "$text" "$@"
}

counts() # counts: "added replaced unchanged deleted not_found failed" of $BODY
{
    json_eval '" ".join(str(d[k]) for k in
        ("added", "replaced", "unchanged", "deleted", "not_found", "failed"))' <<<"$BODY"
}

# found QUERY: the ids a search finds (with the search key), in rank order.
found()
{
    local q
    q=$("$PYTHON" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1")
    call GET "/api/search?q=$q" "${SEARCHER[@]}"
    assert_eq 200 "$STATUS" "search $1"
    json_eval '" ".join(h["id"] for h in d["hits"])' <<<"$BODY"
}

# ---- without an admin key, writing is refused and says how to enable it ----
start_searchd
expect_error 403 POST /api/documents "${ADMIN[@]}" "${JSON[@]}" --data-binary '[]'
assert_contains "$MESSAGE" "--admin-key-file" "the refusal says how to enable writing"
expect_error 403 DELETE /api/documents/meta-tulloch-en "${ADMIN[@]}"
expect_error 403 POST /api/documents/delete "${ADMIN[@]}" "${JSON[@]}" --data-binary '[]'
expect_error 405 GET /api/documents
call GET "/api/search?q=Zuckerberg"
assert_eq 200 "$STATUS" "without a search key, searching is open"
kill "$SEARCHD_PID"
wait_bg "$SEARCHD_PID"

# ---- keys that are refused ----
run "$SEARCHD" -d "$DB" --admin-key "$ADMIN_KEY"
assert_eq 2 "$RC" "a key on the command line"
assert_contains "$ERR" "not taken on the command line" "the message says why"
assert_contains "$ERR" "--admin-key-file" "and what to do"
assert_not_contains "$ERR" "$ADMIN_KEY" "the message does not repeat the key"
run "$SEARCHD" -d "$DB" --search-key="$SEARCH_KEY"
assert_eq 2 "$RC" "a search key on the command line"
cp "$TMP/admin.key" "$TMP/open.key"
chmod 644 "$TMP/open.key"
run "$SEARCHD" -d "$DB" --admin-key-file "$TMP/open.key"
assert_eq 2 "$RC" "a key file others may read"
assert_contains "$ERR" "chmod 600" "the message says what to do"
assert_not_contains "$ERR" "$ADMIN_KEY" "the message does not quote the key"
(umask 077 && : >"$TMP/empty.key" && printf 'short\n' >"$TMP/short.key")
run "$SEARCHD" -d "$DB" --admin-key-file "$TMP/empty.key"
assert_eq 2 "$RC" "an empty key file"
assert_contains "$ERR" "holds no key"
run "$SEARCHD" -d "$DB" --search-key-file "$TMP/short.key"
assert_eq 2 "$RC" "a short key"
assert_contains "$ERR" "shorter than 16"
run env FIHRIS_ADMIN_KEY= "$SEARCHD" -d "$DB"
assert_eq 2 "$RC" "an empty FIHRIS_ADMIN_KEY"
# writing over HTTP takes one database, not a cluster description
printf 'remote 127.0.0.1:1\n' >"$TMP/cluster"
run "$SEARCHD" -d "$TMP/cluster" --admin-key-file "$TMP/admin.key"
assert_eq 2 "$RC" "an admin key over a cluster"
assert_contains "$ERR" "writing over HTTP takes one"

# ---- the admin key from the environment; a new database is created ----
DB=$TMP/new-db
FIHRIS_ADMIN_KEY=$ADMIN_KEY start_searchd --quiet
call GET /healthz
assert_eq "200 0" "$STATUS $(json_eval 'd["documents"]' <<<"$BODY")" "the database is created empty"
post JSON '{"id": "env1", "body": "a document sent with the key of the environment"}'
assert_eq "200 1 0 0 0 0 0" "$STATUS $(counts)" "one document posted"
assert_eq "env1" "$(json_eval '" ".join(h["id"] for h in d["hits"])' \
    <<<"$(curl -s "$BASE/api/search?q=environment")")" "and found"
kill "$SEARCHD_PID"
wait_bg "$SEARCHD_PID"
DB=$TMP/db

# ---- both keys ----
start_searchd --admin-key-file "$TMP/admin.key" --search-key-file "$TMP/search.key" \
    --max-body-mb 1 --header-timeout 60
assert_contains "$(cat "$TMP/searchd.err")" "(writes enabled)" "searchd says it takes writes"

# reads: the search key or the admin key; the page and /healthz are open
for path in "/api/search?q=Zuckerberg" "/api/suggest?q=Zuck" /api/doc/meta-tulloch-en; do
    expect_error 401 GET "$path"
    assert_contains "$HEADERS" "WWW-Authenticate: Bearer" "401 asks for a bearer key ($path)"
    expect_error 403 GET "$path" -H "Authorization: Bearer $WRONG_KEY"
    assert_eq "wrong key" "$MESSAGE"
    call GET "$path" "${SEARCHER[@]}"
    assert_eq 200 "$STATUS" "$path with the search key"
    call GET "$path" "${ADMIN[@]}"
    assert_eq 200 "$STATUS" "$path with the admin key"
done
expect_error 401 GET "/api/search?q=Zuckerberg" -H "Authorization: Basic YWRtaW46YWRtaW4="
expect_error 401 GET "/api/search?q=Zuckerberg" -H "Authorization: Bearer "
for path in / /app.js /healthz; do
    call GET "$path"
    assert_eq 200 "$STATUS" "$path is open"
done

# writes: the admin key only
expect_error 401 POST /api/documents "${JSON[@]}" --data-binary '[]'
assert_contains "$HEADERS" "WWW-Authenticate: Bearer" "401 asks for a bearer key"
expect_error 403 POST /api/documents -H "Authorization: Bearer $WRONG_KEY" "${JSON[@]}" \
    --data-binary '[]'
expect_error 403 POST /api/documents "${SEARCHER[@]}" "${JSON[@]}" --data-binary '[]'
assert_contains "$MESSAGE" "searching, not writing"
expect_error 401 DELETE /api/documents/meta-tulloch-en
expect_error 403 DELETE /api/documents/meta-tulloch-en -H "Authorization: Bearer $WRONG_KEY"
# refused before the body is sent: a client waiting for "100 Continue", or
# a body declared over the limit (1 MB here)
expect_error 401 POST /api/documents "${JSON[@]}" -H "Expect: 100-continue" --data-binary '[]'
summary=$("$PYTHON" "$CLIENT" post "${BASE##*:}" /api/documents --length 1000000000 --send 0) ||
    fail "hostile_client.py post"
assert_eq "401" "$(json_eval 'd["status"]' <<<"$summary")" "a gigabyte declared without a key"
expect_error 401 POST /api/documents/delete "${JSON[@]}" --data-binary '["meta-tulloch-en"]'
call GET /api/doc/meta-tulloch-en "${SEARCHER[@]}"
assert_eq 200 "$STATUS" "nothing was deleted without the key"

# ---- a document posted, found, replaced, deleted ----
assert_eq "" "$(found wombatlexeme)" "before"
post JSON '[{"id": "w1", "title": "Wombats", "body": "The wombatlexeme burrows at night.", "date": "2025-03-01", "source": "field notes", "lang": "en"}]'
assert_eq "200 1 0 0 0 0 0" "$STATUS $(counts)" "a document posted"
assert_eq "w1" "$(found wombatlexeme)" "it is found at once"
call GET /api/doc/w1 "${SEARCHER[@]}"
assert_eq "Wombats 2025-03-01 field notes" \
    "$(json_eval '"%s %s %s" % (d["title"], d["date"], d["source"])' <<<"$BODY")" "its fields are stored"
found wombatlexeme >/dev/null
assert_contains "$HEADERS" "X-Fihris-Cache: hit" "the answer is kept"
post JSON '[{"id": "w1", "title": "Wombats", "body": "The quetzalword sleeps by day."}]'
assert_eq "200 0 1 0 0 0 0" "$STATUS $(counts)" "the same id again replaces it"
assert_eq "w1" "$(found quetzalword)" "the new text is found"
assert_eq "" "$(found wombatlexeme)" "the old text is gone (no answer kept from before)"
post JSON '{"id": "w1", "title": "Wombats", "body": "The quetzalword sleeps by day."}'
assert_eq "200 0 0 1 0 0 0" "$STATUS $(counts)" "the same document again is unchanged"
call DELETE /api/documents/w1 "${ADMIN[@]}"
assert_eq "200 0 0 0 1 0 0" "$STATUS $(counts)" "deleted"
assert_eq "" "$(found quetzalword)" "gone from searches"
expect_error 404 GET /api/doc/w1 "${SEARCHER[@]}"
expect_error 404 DELETE /api/documents/w1 "${ADMIN[@]}"
assert_eq "no document with this id" "$MESSAGE"

# an id with a slash, a space and Arabic, percent-decoded
post JSON '[{"id": "a/b c-زوكر", "body": "percentword"}]'
assert_eq "a/b c-زوكر" "$(found percentword)"
call DELETE "/api/documents/a%2Fb%20c-%D8%B2%D9%88%D9%83%D8%B1" "${ADMIN[@]}"
assert_eq "200 1" "$STATUS $(json_eval 'd["deleted"]' <<<"$BODY")" "an id percent-decoded"

# ---- a batch with malformed documents: the rest kept, each failure reported ----
cat >"$TMP/batch.jsonl" <<'EOF'
{"id": "b1", "body": "batchword one"}
{"id": "b2", "body": "batchword two"
{"id": "b3", "title": "no body"}

{"id": "b4", "body": "batchword four", "date": "2025-02-30"}
EOF
post JSONL "@$TMP/batch.jsonl"
assert_eq "200 2 0 0 0 0 2" "$STATUS $(counts)" "a JSONL batch with two bad lines"
assert_eq "[[2, \"invalid JSON\"], [3, \"missing string field \\\"body\\\"\"]]" \
    "$(json_eval '[[f["line"], f["reason"].split(":")[0]] for f in d["failures"]]' <<<"$BODY")" \
    "each failure with its line and why"
assert_eq "[[5, \"invalid date \\\"2025-02-30\\\"; ignored\"]]" \
    "$(json_eval '[[f["line"], f["reason"]] for f in d["warnings"]]' <<<"$BODY")" "and the warnings"
assert_eq "b1 b4" "$(found batchword | tr ' ' '\n' | sort | paste -sd' ' -)" "the rest was written"
post JSON '[{"id": "b5", "body": "batchword five"}, "b6", {"id": "", "body": "x"}, {"id": "b7", "body": 7}]'
assert_eq "200 1 0 0 0 0 3" "$STATUS $(counts)" "a JSON batch with three bad documents"
assert_eq "[1, 2, 3]" "$(json_eval '[f["index"] for f in d["failures"]]' <<<"$BODY")" \
    "each failure with its index"

# ---- deleting a list ----
call POST /api/documents/delete "${ADMIN[@]}" "${JSON[@]}" --data-binary '{"ids": ["b1", "b4", "nope", 5]}'
assert_eq "200 0 0 0 2 1 1" "$STATUS $(counts)" "deleted, not found, failed"
call POST /api/documents/delete "${ADMIN[@]}" "${JSON[@]}" --data-binary '["b5"]'
assert_eq "200 0 0 0 1 0 0" "$STATUS $(counts)" "a plain array of ids"
assert_eq "" "$(found batchword)" "the batch is gone"

# ---- every error status of the write endpoints ----
expect_error 400 POST /api/documents "${ADMIN[@]}" "${JSON[@]}" --data-binary 'hello'
assert_contains "$MESSAGE" "not JSON"
expect_error 400 POST /api/documents "${ADMIN[@]}" "${JSONL[@]}" --data-binary $'hello\nworld\n'
expect_error 400 POST /api/documents "${ADMIN[@]}" "${JSON[@]}" --data-binary '"a string"'
expect_error 400 POST /api/documents "${ADMIN[@]}" "${JSON[@]}" --data-binary ''
expect_error 400 POST /api/documents/delete "${ADMIN[@]}" "${JSON[@]}" --data-binary '{"id": "x"}'
expect_error 400 POST /api/documents/delete "${ADMIN[@]}" "${JSON[@]}" --data-binary '[1,'
expect_error 400 DELETE /api/documents/meta%00x "${ADMIN[@]}"
assert_contains "$MESSAGE" "NUL"
expect_error 400 DELETE /api/documents/meta%zz "${ADMIN[@]}"
expect_error 404 DELETE /api/documents/ "${ADMIN[@]}"
expect_error 405 GET /api/documents "${ADMIN[@]}"
assert_contains "$HEADERS" "Allow: POST"
expect_error 405 PUT /api/documents "${ADMIN[@]}" "${JSON[@]}" --data-binary '[]'
expect_error 405 POST /api/documents/x "${ADMIN[@]}" "${JSON[@]}" --data-binary '[]'
assert_contains "$HEADERS" "Allow: DELETE"
expect_error 405 GET /api/documents/delete "${ADMIN[@]}"
assert_contains "$HEADERS" "Allow: POST, DELETE"
expect_error 415 POST /api/documents "${ADMIN[@]}" --data-binary '[]'
assert_contains "$MESSAGE" "application/x-ndjson"
expect_error 415 POST /api/documents "${ADMIN[@]}" -H "Content-Type: text/plain" --data-binary '[]'
expect_error 415 POST /api/documents "${ADMIN[@]}" -H "Content-Type: application/json; charset=latin1" \
    --data-binary '[]'
expect_error 415 POST /api/documents "${ADMIN[@]}" -H "Content-Type: application/json; charset=utf-16" \
    --data-binary '[]'
expect_error 415 POST /api/documents/delete "${ADMIN[@]}" "${JSONL[@]}" --data-binary '["x"]'
call POST /api/documents "${ADMIN[@]}" -H "Content-Type: Application/JSON; charset=UTF-8" --data-binary '[]'
assert_eq "200 0 0 0 0 0 0" "$STATUS $(counts)" "a type in capitals, with its charset"
# 413: over --max-body-mb (1 MB), declared or not, or more than 1000 documents
"$PYTHON" -c 'import json; print(json.dumps([{"id": "big", "body": "x" * 1100000}]))' >"$TMP/big.json"
expect_error 413 POST /api/documents "${ADMIN[@]}" "${JSON[@]}" --data-binary "@$TMP/big.json"
assert_contains "$MESSAGE" "over 1 MB"
expect_error 413 POST /api/documents "${ADMIN[@]}" "${JSON[@]}" -H "Transfer-Encoding: chunked" \
    --data-binary "@$TMP/big.json"
gen_jsonl "$TMP/many.jsonl" 1001 many
expect_error 413 POST /api/documents "${ADMIN[@]}" "${JSONL[@]}" --data-binary "@$TMP/many.jsonl"
assert_contains "$MESSAGE" "more than 1000 documents"
head -1000 "$TMP/many.jsonl" >"$TMP/thousand.jsonl"
post JSONL "@$TMP/thousand.jsonl"
assert_eq "200 1000" "$STATUS $(json_eval 'd["added"]' <<<"$BODY")" "1000 documents are allowed"
expect_error 413 DELETE /api/documents/x "${ADMIN[@]}" --data-binary 'x'
# a body declared too large is answered before it is sent
summary=$("$PYTHON" "$CLIENT" post "${BASE##*:}" /api/documents --key-file "$TMP/admin.key" \
    --length 1000000000 --send 0) || fail "hostile_client.py post"
assert_eq "413" "$(json_eval 'd["status"]' <<<"$summary")" "a gigabyte declared, none sent"
# at most 16 writes at once: the 17th gets 503 and Retry-After
summary=$("$PYTHON" "$CLIENT" writes "${BASE##*:}" --key-file "$TMP/admin.key" --held 16) ||
    fail "hostile_client.py writes"
assert_eq "503 1 [$(printf '200, %.0s' $(seq 15))200]" \
    "$(json_eval '"%s %s %s" % (d["more"], d["retry_after"], d["held"])' <<<"$summary")" \
    "16 writes held, one more refused, the 16 done"
# ... holding at most 4 bodies of the most allowed (1 MB here): a fifth is refused
summary=$("$PYTHON" "$CLIENT" writes "${BASE##*:}" --key-file "$TMP/admin.key" --held 4 \
    --length $((1 << 20))) || fail "hostile_client.py writes"
assert_eq '503 1 [200, 200, 200, 200]' \
    "$(json_eval '"%s %s %s" % (d["more"], d["retry_after"], d["held"])' <<<"$summary")" \
    "4 bodies of 1 MB held, one more write refused, the 4 done"

# ---- searches while documents stream in: never a 5xx ----
cat >"$TMP/load.py" <<'EOF'
import json, sys, threading, time, urllib.error, urllib.request
base, admin, search, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
statuses = {"search": {}, "post": {}}
lock = threading.Lock()
end = time.monotonic() + seconds

def ask(kind, req):
    try:
        status = urllib.request.urlopen(req, timeout=30).status
    except urllib.error.HTTPError as e:
        status = e.code
    except OSError as e:
        status = "error: %s" % e
    with lock:
        statuses[kind][str(status)] = statuses[kind].get(str(status), 0) + 1

def searcher(k):
    queries = ["Zuckerberg", "streamword", "OpenAI", "streamword%20OR%20Meta"]
    i = 0
    while time.monotonic() < end:
        ask("search", urllib.request.Request("%s/api/search?q=%s" % (base, queries[(i + k) % 4]),
                                             headers={"Authorization": "Bearer " + search}))
        i += 1

def poster():
    n = 0
    while time.monotonic() < end:
        docs = [{"id": "stream-%d" % (n + i), "body": "streamword %d" % (n + i)} for i in range(10)]
        n += 10
        ask("post", urllib.request.Request(base + "/api/documents", json.dumps(docs).encode(),
                                           headers={"Authorization": "Bearer " + admin,
                                                    "Content-Type": "application/json"}))

threads = [threading.Thread(target=searcher, args=(k,)) for k in range(3)]
threads.append(threading.Thread(target=poster))
for t in threads:
    t.start()
for t in threads:
    t.join()
json.dump(statuses, sys.stdout)
EOF
call GET /healthz
before=$(json_eval 'd["documents"]' <<<"$BODY")
summary=$("$PYTHON" "$TMP/load.py" "$BASE" "$ADMIN_KEY" "$SEARCH_KEY" 4) || fail "load.py"
assert_eq True "$(json_eval 'str(list(d["search"]) == ["200"] and list(d["post"]) == ["200"])' \
    <<<"$summary")" "every search and every post answered 200 ($summary)"
assert_eq True "$(json_eval 'str(d["search"]["200"] >= 10 and d["post"]["200"] >= 2)' \
    <<<"$summary")" "searches and posts did run together ($summary)"
posted=$(json_eval '10 * d["post"]["200"]' <<<"$summary")
call GET /healthz
assert_eq "$((before + posted))" "$(json_eval 'd["documents"]' <<<"$BODY")" \
    "every document posted was committed"
last=$(json_eval '"stream-%d" % (10 * d["post"]["200"] - 1)' <<<"$summary")
assert_eq "$last" "$(found "id:$last")" "the last one posted is found"

# ---- the indexer is refused while searchd holds the writer ----
printf '{"id": "ix1", "body": "indexerword"}\n' >"$TMP/ix.jsonl"
assert_exit 2 "$INDEXER" -d "$DB" --no-progress "$TMP/ix.jsonl"
assert_contains "$ERR" "another process is writing" "the indexer says why"
assert_contains "$ERR" "searchd" "and names searchd"
assert_contains "$ERR" "POST /api/documents" "and what to do"
assert_exit 2 "$INDEXER" -d "$DB" --no-progress --wait 1 "$TMP/ix.jsonl"
assert_contains "$ERR" "still locked after --wait"
assert_exit 2 "$INDEXER" -d "$DB" --delete meta-tulloch-en
assert_contains "$ERR" "another process is writing"

# ---- the log: why a key was refused, what a write did, never a key ----
log=$(cat "$TMP/searchd.err")
assert_contains "$log" "POST /api/documents 401 " "a missing key is logged"
grep -q " POST /api/documents 401 [0-9.]* ms: no key$" "$TMP/searchd.err" ||
    fail "the log says no key was given: $log"
grep -q " POST /api/documents 403 [0-9.]* ms: wrong key$" "$TMP/searchd.err" ||
    fail "the log says the key was wrong: $log"
grep -q " POST /api/documents 200 [0-9.]* ms: 2 added, 0 replaced, 0 unchanged, 0 deleted, 0 not found, 2 failed$" \
    "$TMP/searchd.err" || fail "the log says what a write did: $log"
for key in "$ADMIN_KEY" "$SEARCH_KEY" "$WRONG_KEY"; do
    assert_not_contains "$log" "$key" "searchd's log holds no key"
done

# ---- stopped, searchd lets go of the database ----
kill -TERM "$SEARCHD_PID"
wait_bg "$SEARCHD_PID"
assert_eq 0 "$BG_RC" "searchd stops cleanly"
assert_exit 0 "$INDEXER" -d "$DB" --no-progress "$TMP/ix.jsonl"
assert_eq "ix1" "$("$SEARCH" -d "$DB" --format ids indexerword)" "the indexer writes again"
assert_eq "stream-0" "$("$SEARCH" -d "$DB" --format ids 'id:stream-0')" \
    "what was posted was committed"

# ---- a call holds at most 1,000,000 index terms: the document past it fails ----
DB=$TMP/terms-db
"$PYTHON" -c '
import json
for k in range(3):
    print(json.dumps({"id": "terms-%d" % k, "body": " ".join("t%dx%dq" % (k, i) for i in range(350000))}))
' >"$TMP/terms.jsonl"
start_searchd --admin-key-file "$TMP/admin.key" --max-body-mb 16 --quiet
post JSONL "@$TMP/terms.jsonl"
assert_eq "200 2 0 0 0 0 1" "$STATUS $(counts)" "three documents of 350,000 words each"
assert_eq "3 terms-2" "$(json_eval '"%d %s" % (d["failures"][0]["line"], d["failures"][0]["id"])' <<<"$BODY")" \
    "the third fails"
assert_contains "$(json_eval 'd["failures"][0]["reason"]' <<<"$BODY")" "more than one commit takes (1000000)"
assert_eq "terms-0|terms-1|" "$(found id:terms-0)|$(found id:terms-1)|$(found id:terms-2)" \
    "the others are written"
kill -TERM "$SEARCHD_PID"
wait_bg "$SEARCHD_PID"
assert_eq 0 "$BG_RC" "searchd stops cleanly"
echo "ok"
