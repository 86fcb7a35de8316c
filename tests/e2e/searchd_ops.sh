#!/usr/bin/env bash
# searchd_ops.sh - what an operator runs searchd with: a configuration file
# (every value applied, relative paths from its directory, the command line
# overriding it, every kind of error naming the file and the line, a key in
# it refused, the example shipped in dist/ accepted); the request log, JSON
# (each line an object with its fields, never a key nor a query, one line
# whatever the path holds) and text (timestamped); GET /metrics, parsed by
# prometheus_client, its counters moving after a search, a 404 and a write,
# and its keys; SIGHUP (a key file and the configuration read again, the new
# key taken and the old refused, settings that need a restart said so, a
# broken configuration or key file refused with the old settings kept,
# searches answered throughout); keys from systemd's credentials; the
# systemd unit checked by systemd-analyze.
source "$(dirname "$0")/lib.sh"

DB=$TMP/db
"$INDEXER" -d "$DB" "$SOURCE_DIR/tests/fixtures/news/news.jsonl" >/dev/null 2>&1 ||
    fail "cannot index the news fixture"

random_key() { printf '%s-%s' "$1" "$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"; }
ADMIN_KEY=$(random_key admin)
SEARCH_KEY=$(random_key search)
METRICS_KEY=$(random_key metrics)
WRONG_KEY=$(random_key wrong)
ETC=$TMP/etc
mkdir -p "$ETC"
(
    umask 077
    printf '%s\n' "$ADMIN_KEY" >"$ETC/admin.key"
    printf '%s\n' "$SEARCH_KEY" >"$ETC/search.key"
    printf '%s\n' "$METRICS_KEY" >"$ETC/metrics.key"
)
bearer() { printf 'Authorization: Bearer %s' "$1"; }
JSON=(-H "Content-Type: application/json")

expect_status() # expect_status STATUS METHOD PATH [CURL ARGS...]
{
    local want=$1
    shift
    call "$@"
    assert_eq "$want" "$STATUS" "status of $* ($BODY)"
}

stop_searchd()
{
    kill -TERM "$SEARCHD_PID"
    wait_bg "$SEARCHD_PID"
    assert_eq 0 "$BG_RC" "searchd's exit status on SIGTERM"
}

# reload: SIGHUP, and wait until searchd says how it went (in $RELOADED, the
# line saying it).
RELOAD_LINE='(searchd: |"message":")(reloaded|reload failed)'
reload()
{
    local before i
    before=$(grep -cE "$RELOAD_LINE" "$TMP/searchd.err")
    kill -HUP "$SEARCHD_PID"
    for ((i = 0; i < 1200; i++)); do
        [ "$(grep -cE "$RELOAD_LINE" "$TMP/searchd.err")" -gt "$before" ] && break
        alive "$SEARCHD_PID" || fail "searchd ended on SIGHUP: $(cat "$TMP/searchd.err")"
        sleep 0.05
    done
    RELOADED=$(grep -E "$RELOAD_LINE" "$TMP/searchd.err" | tail -n 1)
    [ -n "$RELOADED" ] || fail "searchd said nothing of the reload: $(cat "$TMP/searchd.err")"
}

# metrics [CURL ARGS...]: GET /metrics, parsed by prometheus_client, into
# $METRICS: a JSON object of "NAME{LABEL=VALUE,...}": value for each sample,
# and "type NAME": the type of each family.
metrics()
{
    expect_status 200 GET /metrics "$@"
    assert_contains "$HEADERS" "Content-Type: text/plain; version=0.0.4" "/metrics's type"
    METRICS=$(PYTHONIOENCODING=utf-8 "$PYTHON" -c '
import json, sys
from prometheus_client.parser import text_string_to_metric_families
out = {}
for family in text_string_to_metric_families(sys.stdin.read()):
    out["type " + family.name] = family.type
    for s in family.samples:
        labels = ",".join("%s=%s" % kv for kv in sorted(s.labels.items()))
        out["%s{%s}" % (s.name, labels)] = s.value
print(json.dumps(out))' <<<"$BODY") || fail "/metrics is not Prometheus text: $BODY"
}

metric() # metric SAMPLE: its value in $METRICS, 0 when absent
{
    json_eval "int(d.get('$1', 0))" <<<"$METRICS"
}

# ---- a configuration file: every value applied ----
# CR LF line ends, comments indented or not, blank lines, spaces and tabs
# around keys and values; relative paths from the file's directory.
printf '%s\r\n' \
    '# searchd for the tests' \
    '' \
    'db = ../db' \
    "	listen	=	127.0.0.1:0	" \
    '   # a comment indented' \
    'threads = 2' \
    'cache-mb = 0' \
    'time-limit = 2000' \
    'cors-origin = https://a.example' \
    'cors-origin = https://b.example' \
    'admin-key-file = admin.key' \
    'search-key-file = search.key' \
    'max-body-mb = 1' \
    'log-format = text' >"$ETC/searchd.conf"
CONF=$ETC/searchd.conf
start_searchd_with --config "$CONF"
assert_contains "$(cat "$TMP/searchd.err")" "serving $ETC/../db (writes enabled)" \
    "the database and the admin key of the file"
expect_status 401 GET "/api/search?q=meta"
expect_status 200 GET "/api/search?q=meta" -H "$(bearer "$SEARCH_KEY")"
assert_contains "$BODY" '"total":' "a search of the database given"
expect_status 200 GET "/api/search?q=meta" -H "$(bearer "$SEARCH_KEY")"
assert_not_contains "$HEADERS" "X-Fihris-Cache" "cache-mb = 0: nothing kept"
for origin in https://a.example https://b.example; do
    expect_status 200 GET "/api/search?q=meta" -H "$(bearer "$SEARCH_KEY")" -H "Origin: $origin"
    assert_contains "$HEADERS" "Access-Control-Allow-Origin: $origin" "the origins of the file"
done
expect_status 200 GET "/api/search?q=meta" -H "$(bearer "$SEARCH_KEY")" -H "Origin: https://c.example"
assert_not_contains "$HEADERS" "Access-Control-Allow-Origin" "an origin not in the file"
head -c 1500000 /dev/zero | tr '\0' ' ' >"$TMP/big.json"
expect_status 413 POST /api/documents -H "$(bearer "$ADMIN_KEY")" "${JSON[@]}" \
    --data-binary @"$TMP/big.json"
assert_contains "$BODY" "over 1 MB" "max-body-mb = 1"
# the text log: each request line starts with its time (RFC 3339, UTC, ms)
lines=$(grep -E ' GET /api/search [0-9]{3} ' "$TMP/searchd.err")
[ "$(wc -l <<<"$lines")" -ge 4 ] || fail "the text log lacks the searches: $(cat "$TMP/searchd.err")"
untimed=$(grep -vE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z 127\.0\.0\.1 ' <<<"$lines" || true)
assert_eq "" "$untimed" "text log lines without their time"
stop_searchd

# ---- the command line overrides the file ----
start_searchd_with --config "$CONF" --cache-mb 8 --cors-origin https://c.example \
    --log-format json
expect_status 200 GET "/api/search?q=meta" -H "$(bearer "$SEARCH_KEY")"
expect_status 200 GET "/api/search?q=meta" -H "$(bearer "$SEARCH_KEY")" -H "Origin: https://c.example"
assert_contains "$HEADERS" "X-Fihris-Cache: hit" "--cache-mb 8 over cache-mb = 0"
assert_contains "$HEADERS" "Access-Control-Allow-Origin: https://c.example" "--cors-origin"
expect_status 200 GET "/api/search?q=meta" -H "$(bearer "$SEARCH_KEY")" -H "Origin: https://a.example"
assert_not_contains "$HEADERS" "Access-Control-Allow-Origin" \
    "the command line's origins replace the file's"
"$PYTHON" -c 'import json, sys; [json.loads(l) for l in open(sys.argv[1])]' "$TMP/searchd.err" ||
    fail "--log-format json over log-format = text: $(cat "$TMP/searchd.err")"
stop_searchd

# ---- every kind of error in the file, with its name and line ----
bad_config() # bad_config MESSAGE LINES...: searchd refuses a file of these lines, saying so
{
    local want=$1
    shift
    printf '%s\n' "$@" >"$TMP/bad.conf"
    assert_exit 2 "$SEARCHD" --config "$TMP/bad.conf" -d "$DB" --listen 127.0.0.1:0
    assert_contains "$ERR" "searchd: $TMP/bad.conf:$want" "the error of $*"
}
bad_config '2: unknown key "colour"' '# ok' 'colour = blue'
bad_config '1: threads: give a whole number from 1 to 256' 'threads = many'
bad_config '1: threads: give a whole number from 1 to 256' 'threads = 0'
bad_config '1: cache-mb: give a whole number of megabytes from 0 to 65536' 'cache-mb = -1'
bad_config '3: time-limit: already set on line 1' 'time-limit = 100' 'cache-mb = 1' 'time-limit = 200'
bad_config '1: not a setting: write `key = value`' 'listen 127.0.0.1:8080'
bad_config '1: not a setting' 'Listen = 127.0.0.1:8080'
bad_config '2: listen: no value' '' 'listen =   '
bad_config '1: listen: give ADDRESS:PORT' 'listen = localhost'
bad_config '1: quiet: give true or false' 'quiet = maybe'
bad_config '1: log-format: give text or json' 'log-format = xml'
bad_config '1: unknown key "config"' 'config = other.conf'
origins=()
for i in $(seq 1 17); do origins+=("cors-origin = https://o$i.example"); done
bad_config '17: cors-origin: at most 16 origins' "${origins[@]}"
# a key is never taken in the file, and the message does not repeat it
bad_config '2: admin-key: a key is never written in the configuration file' \
    'threads = 2' "admin-key = $ADMIN_KEY"
assert_contains "$ERR" "admin-key-file = FILE" "where the key goes instead"
assert_not_contains "$ERR" "$ADMIN_KEY" "the refused key repeated"
bad_config '1: search-key: a key is never written' "search-key = $SEARCH_KEY"
printf 'threads = 2\nlisten = 127.0.0.1:0\0\n' >"$TMP/bad.conf"
assert_exit 2 "$SEARCHD" --config "$TMP/bad.conf" -d "$DB"
assert_contains "$ERR" "$TMP/bad.conf:2: holds a NUL byte" "a NUL byte"
{
    for i in $(seq 1 1000); do printf '# %s\n' "$(printf '%070d' "$i")"; done
} >"$TMP/bad.conf"
assert_exit 2 "$SEARCHD" --config "$TMP/bad.conf" -d "$DB"
assert_contains "$ERR" "$TMP/bad.conf: larger than 64 KB" "a file over the limit"
head -c 65000 "$TMP/bad.conf" | sed '$d' >"$TMP/big.conf"
printf 'listen = 127.0.0.1:0\nthreads = 2\n' >>"$TMP/big.conf"
start_searchd_with --config "$TMP/big.conf" -d "$DB"
stop_searchd
assert_exit 2 "$SEARCHD" --config "$TMP/absent.conf"
assert_contains "$ERR" "cannot read $TMP/absent.conf" "a file that is not there"
assert_exit 2 "$SEARCHD" --config "$TMP"
assert_contains "$ERR" "$TMP: not a regular file" "a directory"
assert_exit 2 "$SEARCHD" --config "$CONF" --config "$CONF"
assert_contains "$ERR" "--config: given twice" "two files"
assert_exit 2 "$SEARCHD" --threads 0
assert_contains "$ERR" "searchd: --threads: give a whole number from 1 to 256" "the command line's error"
assert_exit 2 "$SEARCHD" --metrics-key "$METRICS_KEY"
assert_contains "$ERR" "--metrics-key-file FILE" "a key on the command line"
# a key file named in the file, readable by others
chmod 644 "$ETC/search.key"
assert_exit 2 "$SEARCHD" --config "$CONF"
assert_contains "$ERR" "the key file $ETC/search.key may be read or written by others" \
    "a key file others may read"
chmod 600 "$ETC/search.key"

# ---- the example shipped in dist/ ----
start_searchd_with --config "$SOURCE_DIR/dist/searchd.conf" -d "$DB" --listen 127.0.0.1:0 \
    --threads 2
expect_status 200 GET "/api/search?q=meta"
"$PYTHON" -c 'import json, sys; [json.loads(l) for l in open(sys.argv[1])]' "$TMP/searchd.err" ||
    fail "the example's JSON log: $(cat "$TMP/searchd.err")"
stop_searchd

# ---- the JSON log ----
printf '%s\n' 'db = ../db' 'listen = 127.0.0.1:0' 'threads = 2' 'log-format = json' \
    'admin-key-file = admin.key' 'search-key-file = search.key' \
    'metrics-key-file = metrics.key' >"$ETC/json.conf"
start_searchd_with --config "$ETC/json.conf"
expect_status 200 GET "/api/search?q=meta" -H "$(bearer "$SEARCH_KEY")"
total=$(json_eval 'd["total"]' <<<"$BODY")
expect_status 200 GET "/api/search?q=meta" -H "$(bearer "$SEARCH_KEY")" # reused, hits logged too
expect_status 200 GET "/api/search?q=zzprivatequeryzz" -H "$(bearer "$SEARCH_KEY")"
expect_status 401 GET "/api/suggest?q=me"
expect_status 403 GET "/api/suggest?q=me" -H "$(bearer "$WRONG_KEY")"
expect_status 404 GET '/x%22y%0Az%5C%FF%E2%80%A8%0D%1B' -H "$(bearer "$ADMIN_KEY")"
expect_status 200 POST /api/documents -H "$(bearer "$ADMIN_KEY")" "${JSON[@]}" \
    --data-binary '[{"id": "ops-1", "title": "t", "body": "zzopsword"}, {"id": 5}]'
expect_status 200 GET /metrics -H "$(bearer "$METRICS_KEY")"
reload # a line of searchd's own, JSON too
stop_searchd
PYTHONIOENCODING=utf-8 "$PYTHON" - "$TMP/searchd.err" "$total" "$ADMIN_KEY" "$SEARCH_KEY" \
    "$WRONG_KEY" "$METRICS_KEY" <<'EOF' || fail "the JSON log: $(cat "$TMP/searchd.err")"
import json, re, sys
log, total, keys = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
text = open(log, encoding="utf-8").read()
for k in keys:
    assert k not in text, "a key in the log"
assert "zzprivatequeryzz" not in text, "a query in the log"
lines = text.splitlines()  # splits at U+2028 too: none may be there
objects = [json.loads(l) for l in lines]
assert all(isinstance(o, dict) for o in objects)
requests = [o for o in objects if "status" in o]
notes = [o for o in objects if "message" in o]
assert len(requests) + len(notes) == len(objects), objects
assert len(requests) == 8, requests
assert any(n["message"].startswith("serving ") for n in notes), notes
assert any(n["message"].startswith("reloaded: ") for n in notes), notes
assert any(n["message"].startswith("stopping ") for n in notes), notes
time = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
for o in objects:
    assert time.match(o["time"]), o
for o in requests:
    for field in ("client", "method", "path", "status", "ms", "bytes"):
        assert field in o, (field, o)
    assert o["client"] == "127.0.0.1" and isinstance(o["ms"], (int, float)), o
    assert ("error" in o) == (o["status"] >= 400), o
    assert "?" not in o["path"], o
searches = [o for o in requests if o["path"] == "/api/search"]
assert [o["hits"] for o in searches] == [total, total, 0], searches
assert [o.get("cache") for o in searches] == ["miss", "hit", "miss"], searches
assert searches[0]["bytes"] > 0
by_status = {o["status"]: o for o in requests}
assert by_status[401]["error"] == "no key", by_status[401]
assert by_status[403]["error"] == "wrong key", by_status[403]
assert by_status[404]["error"] == "no such path", by_status[404]
assert by_status[404]["path"] == '/x"y\\x0az\\\\xff\\xe2\\x80\\xa8\\x0d\\x1b', by_status[404]
write = [o for o in requests if o["method"] == "POST"][0]
assert write["written"] == {"added": 1, "replaced": 0, "unchanged": 0, "deleted": 0,
                            "not_found": 0, "failed": 1}, write
assert "hits" not in write and "error" not in write, write
EOF

# ---- /metrics ----
# without any key it is open; its counters move with the requests
start_searchd
expect_status 200 GET /healthz
docs=$(json_eval 'd["documents"]' <<<"$BODY")
metrics
for family in "type fihris_http_requests=counter" "type fihris_http_request_duration_seconds=histogram" \
    "type fihris_cache_hits=counter" "type fihris_cache_misses=counter" "type fihris_documents=gauge" \
    "type fihris_index_revision=gauge" "type fihris_missing_shards=gauge" \
    "type fihris_write_documents=counter" "type process_start_time_seconds=gauge" \
    "type fihris_database_up=gauge" "type fihris_config_reloads=counter"; do
    assert_eq "${family#*=}" "$(json_eval "d.get('${family%=*}')" <<<"$METRICS")" "${family%=*}"
done
assert_eq "$docs" "$(metric 'fihris_documents{}')" "documents in the index"
assert_eq 1 "$(metric 'fihris_database_up{}')" "the database is up"
assert_eq 0 "$(metric 'fihris_missing_shards{}')" "missing shards"
[ "$(metric 'process_start_time_seconds{}')" -gt 1600000000 ] || fail "process_start_time_seconds"
search_ok=$(metric 'fihris_http_requests_total{code=200,endpoint=search}')
search_count=$(metric 'fihris_http_request_duration_seconds_count{endpoint=search}')
misses=$(metric 'fihris_cache_misses_total{}')
hits=$(metric 'fihris_cache_hits_total{}')
expect_status 200 GET "/api/search?q=meta"
expect_status 200 GET "/api/search?q=meta"
expect_status 404 GET "/no/such/path"
metrics
assert_eq $((search_ok + 2)) "$(metric 'fihris_http_requests_total{code=200,endpoint=search}')" \
    "searches counted"
assert_eq $((search_count + 2)) "$(metric 'fihris_http_request_duration_seconds_count{endpoint=search}')" \
    "searches timed"
assert_eq $((search_count + 2)) \
    "$(metric 'fihris_http_request_duration_seconds_bucket{endpoint=search,le=+Inf}')" \
    "the +Inf bucket holds every search"
assert_eq 1 "$(metric 'fihris_http_requests_total{code=404,endpoint=other}')" "the 404 counted"
assert_eq $((misses + 1)) "$(metric 'fihris_cache_misses_total{}')" "a cache miss"
assert_eq $((hits + 1)) "$(metric 'fihris_cache_hits_total{}')" "a cache hit"
assert_eq 0 "$(metric 'fihris_write_documents_total{result=added}')" "no write yet"
stop_searchd
# writes: the counts of what they did, and the index's documents and revision
start_searchd --admin-key-file "$ETC/admin.key" --search-key-file "$ETC/search.key" \
    --metrics-key-file "$ETC/metrics.key"
metrics -H "$(bearer "$METRICS_KEY")"
revision=$(metric 'fihris_index_revision{}')
docs=$(metric 'fihris_documents{}')
expect_status 200 POST /api/documents -H "$(bearer "$ADMIN_KEY")" "${JSON[@]}" \
    --data-binary '[{"id": "ops-2", "title": "t", "body": "zzopsword"}, {"id": "x"}]'
expect_status 200 POST /api/documents -H "$(bearer "$ADMIN_KEY")" "${JSON[@]}" \
    --data-binary '[{"id": "ops-2", "title": "t", "body": "zzopsword again"}]'
expect_status 200 DELETE /api/documents/ops-1 -H "$(bearer "$ADMIN_KEY")"
metrics -H "$(bearer "$METRICS_KEY")"
assert_eq 1 "$(metric 'fihris_write_documents_total{result=added}')" "documents added"
assert_eq 1 "$(metric 'fihris_write_documents_total{result=replaced}')" "documents replaced"
assert_eq 1 "$(metric 'fihris_write_documents_total{result=deleted}')" "documents deleted"
assert_eq 1 "$(metric 'fihris_write_documents_total{result=failed}')" "documents that failed"
assert_eq 2 "$(metric 'fihris_http_requests_total{code=200,endpoint=documents}')" "writes counted"
assert_eq 1 "$(metric 'fihris_http_requests_total{code=200,endpoint=delete}')" "the delete counted"
assert_eq "$docs" "$(metric 'fihris_documents{}')" "one document added, one deleted"
[ "$(metric 'fihris_index_revision{}')" -gt "$revision" ] || fail "the revision after the commits"
# its keys: any of searchd's, one needed with a search or metrics key; the
# metrics key opens nothing else
expect_status 401 GET /metrics
assert_contains "$HEADERS" "WWW-Authenticate: Bearer" "/metrics without a key"
expect_status 403 GET /metrics -H "$(bearer "$WRONG_KEY")"
expect_status 200 GET /metrics -H "$(bearer "$SEARCH_KEY")"
expect_status 200 GET /metrics -H "$(bearer "$ADMIN_KEY")"
expect_status 403 GET "/api/search?q=meta" -H "$(bearer "$METRICS_KEY")"
assert_contains "$BODY" "metrics only" "the metrics key on a search"
expect_status 403 POST /api/documents -H "$(bearer "$METRICS_KEY")" "${JSON[@]}" --data-binary '[]'
expect_status 200 GET /healthz
assert_not_contains "$(cat "$TMP/searchd.err")" "$METRICS_KEY" "the metrics key in the log"
stop_searchd

# ---- SIGHUP ----
printf '%s\n' 'db = ../db' 'listen = 127.0.0.1:0' 'threads = 2' 'time-limit = 500' \
    'cache-mb = 64' 'admin-key-file = admin.key' 'search-key-file = search.key' >"$ETC/hup.conf"
start_searchd_with --config "$ETC/hup.conf"
# searches with the admin key, which no reload changes, all along
"$PYTHON" - "$BASE" "$ADMIN_KEY" "$TMP/stop-loop" >"$TMP/loop.out" 2>&1 <<'EOF' &
import os, sys, urllib.request
base, key, stop = sys.argv[1:]
statuses = {}
for i in range(20000):
    if os.path.exists(stop):
        break
    req = urllib.request.Request(base + "/api/search?q=meta%%20w%d" % (i % 7),
                                 headers={"Authorization": "Bearer " + key})
    try:
        status = urllib.request.urlopen(req, timeout=30).status
    except urllib.error.HTTPError as e:
        status = e.code
    statuses[status] = statuses.get(status, 0) + 1
print(" ".join("%s:%d" % kv for kv in sorted(statuses.items())))
EOF
LOOP_PID=$!
BG_PIDS+=("$LOOP_PID")
expect_status 200 GET "/api/search?q=meta" -H "$(bearer "$SEARCH_KEY")"
metrics -H "$(bearer "$SEARCH_KEY")"
assert_eq $((64 << 20)) "$(metric 'fihris_cache_limit_bytes{}')" "the cache's budget before"
NEW_SEARCH_KEY=$(random_key newsearch)
(umask 077 && printf '%s\n' "$NEW_SEARCH_KEY" >"$ETC/search.key.new") &&
    mv "$ETC/search.key.new" "$ETC/search.key"
sed -i 's/^time-limit = 500$/time-limit = 200/; s/^cache-mb = 64$/cache-mb = 8/; s/^threads = 2$/threads = 3/' \
    "$ETC/hup.conf"
reload
assert_contains "$RELOADED" "searchd: reloaded: cache-mb, time-limit, search-key" "what the reload changed"
assert_contains "$(cat "$TMP/searchd.err")" \
    "searchd: reload: threads was changed, which takes effect when searchd restarts" \
    "a setting that needs a restart"
expect_status 200 GET "/api/search?q=meta" -H "$(bearer "$NEW_SEARCH_KEY")"
expect_status 403 GET "/api/search?q=meta" -H "$(bearer "$SEARCH_KEY")"
metrics -H "$(bearer "$NEW_SEARCH_KEY")"
assert_eq $((8 << 20)) "$(metric 'fihris_cache_limit_bytes{}')" "cache-mb reloaded"
assert_eq 1 "$(metric 'fihris_config_reloads_total{result=ok}')" "a reload counted"
# a broken file: said, with its line, and nothing changes
printf '# a comment\nthis is not a setting\n' >>"$ETC/hup.conf"
reload
assert_contains "$RELOADED" "searchd: reload failed: $ETC/hup.conf:9: not a setting" "a broken file"
assert_contains "$RELOADED" "the settings stay as they were" "a broken file"
expect_status 200 GET "/api/search?q=meta" -H "$(bearer "$NEW_SEARCH_KEY")"
metrics -H "$(bearer "$NEW_SEARCH_KEY")"
assert_eq $((8 << 20)) "$(metric 'fihris_cache_limit_bytes{}')" "cache-mb kept"
assert_eq 1 "$(metric 'fihris_config_reloads_total{result=failed}')" "a failed reload counted"
sed -i '/^# a comment$/d; /^this is not/d' "$ETC/hup.conf"
# a key file refused: the key it held stays
(umask 077 && printf 'short\n' >"$ETC/search.key")
reload
assert_contains "$RELOADED" "searchd: reload failed: the key in the key file $ETC/search.key is shorter" \
    "a key refused"
expect_status 200 GET "/api/search?q=meta" -H "$(bearer "$NEW_SEARCH_KEY")"
(umask 077 && printf '%s\n' "$NEW_SEARCH_KEY" >"$ETC/search.key")
# the admin key cannot be removed, nor writes enabled, without a restart
sed -i '/^admin-key-file/d' "$ETC/hup.conf"
reload
assert_contains "$(cat "$TMP/searchd.err")" "writes stay enabled, with the admin key loaded before" \
    "an admin key removed"
assert_contains "$RELOADED" "searchd: reloaded: nothing changed" "the admin key kept"
expect_status 200 DELETE /api/documents/ops-2 -H "$(bearer "$ADMIN_KEY")"
touch "$TMP/stop-loop"
wait "$LOOP_PID"
echo "searches during the reloads, by status: $(cat "$TMP/loop.out")"
[[ "$(cat "$TMP/loop.out")" =~ ^200:[0-9]+$ ]] ||
    fail "the searches during the reloads, by status: $(cat "$TMP/loop.out")"
stop_searchd
assert_exit 2 "$SEARCHD" --config "$ETC/hup.conf" --admin-key-file /dev/null
assert_contains "$ERR" "the key file /dev/null is not a regular file" "a key file on the command line"
start_searchd_with --config "$ETC/hup.conf"
printf '%s\n' 'admin-key-file = admin.key' >>"$ETC/hup.conf"
reload
assert_contains "$(cat "$TMP/searchd.err")" "writes stay disabled until it restarts" \
    "an admin key added"
expect_status 403 POST /api/documents -H "$(bearer "$ADMIN_KEY")" "${JSON[@]}" --data-binary '[]'
assert_contains "$BODY" "writing is disabled" "writes still disabled"
stop_searchd

# ---- keys from systemd's credentials ----
mkdir -p "$TMP/creds"
(umask 277 && printf '%s\n' "$SEARCH_KEY" >"$TMP/creds/search-key")
CREDENTIALS_DIRECTORY=$TMP/creds start_searchd
expect_status 401 GET "/api/search?q=meta"
expect_status 200 GET "/api/search?q=meta" -H "$(bearer "$SEARCH_KEY")"
stop_searchd
# a key file given, or the environment, comes first
CREDENTIALS_DIRECTORY=$TMP/creds FIHRIS_SEARCH_KEY=$NEW_SEARCH_KEY start_searchd
expect_status 403 GET "/api/search?q=meta" -H "$(bearer "$SEARCH_KEY")"
expect_status 200 GET "/api/search?q=meta" -H "$(bearer "$NEW_SEARCH_KEY")"
stop_searchd

# ---- the systemd unit ----
if ! command -v systemd-analyze >/dev/null; then
    echo "SKIP: systemd-analyze is not installed (the rest passed)"
    exit 77
fi
UNIT=$SOURCE_DIR/dist/fihris-searchd.service
grep -q '^ExecStart=/usr/bin/searchd --config /etc/fihris/searchd.conf$' "$UNIT" ||
    fail "the unit's ExecStart"
for setting in DynamicUser=yes ProtectSystem=strict StateDirectory=fihris ProtectHome=yes \
    PrivateTmp=yes NoNewPrivileges=yes RestrictAddressFamilies= SystemCallFilter=@system-service \
    'ExecReload=/bin/kill -HUP $MAINPID' Restart=on-failure '#LoadCredential=admin-key:'; do
    grep -qF -- "$setting" "$UNIT" || fail "the unit lacks $setting"
done
# a copy whose ExecStart is the searchd built, its credentials in use
mkdir -p "$TMP/units"
sed -e "s|^ExecStart=/usr/bin/searchd |ExecStart=$SEARCHD |" -e 's|^#LoadCredential=|LoadCredential=|' \
    "$UNIT" >"$TMP/units/fihris-searchd.service"
assert_exit 0 systemd-analyze verify --man=no "$TMP/units/fihris-searchd.service"
assert_eq "" "$ERR" "systemd-analyze's warnings"
# the check itself: a unit with a mistake fails it
sed 's|^ProtectSystem=strict$|ProtectSystem=strictest|' "$TMP/units/fihris-searchd.service" \
    >"$TMP/units/fihris-broken.service"
run systemd-analyze verify --man=no "$TMP/units/fihris-broken.service"
assert_contains "$ERR" "strictest" "systemd-analyze on a broken unit"
echo "PASS"
