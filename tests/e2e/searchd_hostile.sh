#!/usr/bin/env bash
# searchd_hostile.sh - searchd against clients that misbehave or are odd:
# a client that shuts down its sending side after its request (with other
# connections open) is answered; too many URL parameters, a URL of the
# greatest length made of parameters, and a NUL byte in a parameter get
# JSON errors, never a dropped connection; slow clients sending a byte at a
# time are cut off at the header deadline and, bounded per address, leave
# room for others, and a write whose body comes a byte at a time is cut at
# the same deadline; /healthz says 503 when the database is gone or damaged;
# the log line of a request has its time, client and the reason of a 5xx.
source "$(dirname "$0")/lib.sh"

DB=$TMP/db
"$INDEXER" -d "$DB" "$SOURCE_DIR/tests/fixtures/news/news.jsonl" >/dev/null 2>&1 ||
    fail "cannot index the news fixture"
CLIENT=$SOURCE_DIR/tests/e2e/hostile_client.py

# raw TARGET [hostile_client.py request ARGS...]: the status in $STATUS
# (0: no answer), the body in $BODY.
raw()
{
    local out
    out=$("$PYTHON" "$CLIENT" request "${BASE##*:}" "$@") || fail "hostile_client.py request $*"
    STATUS=${out%%$'\n'*}
    BODY=${out#*$'\n'}
}

# expect_json_error STATUS TARGET: a JSON {"error": ...} with this status.
expect_json_error()
{
    raw "$2"
    assert_eq "$1" "$STATUS" "status of ${2:0:80}... (${#2} bytes)"
    assert_eq "True" "$(json_eval 'str(isinstance(d["error"], str) and len(d) == 1)' <<<"$BODY")" \
        "JSON error body of ${2:0:80}..."
}

# repeat N TEXT: TEXT N times.
repeat()
{
    "$PYTHON" -c 'import sys; sys.stdout.write(sys.argv[2] * int(sys.argv[1]))' "$1" "$2"
}

start_searchd

# ---- a client that half-closes, while other connections are open ----
for target in /healthz "/api/search?q=Zuckerberg" "/api/suggest?q=Zuck" /api/doc/meta-tulloch-en /; do
    raw "$target" --half-close --hold 3
    assert_eq 200 "$STATUS" "$target, its client's sending side shut down, 3 other connections open"
done
raw "/api/search?q=Zuckerberg&size=1" --half-close --hold 3
assert_eq 1 "$(json_eval 'len(d["hits"])' <<<"$BODY")" "the half-closed client gets the whole answer"

# ---- parameters: how many, how long, NUL bytes ----
raw "/api/search?q=Zuckerberg$(repeat 63 '&x=1')"
assert_eq 200 "$STATUS" "64 parameters are allowed"
expect_json_error 400 "/api/search?q=Zuckerberg$(repeat 64 '&x=1')"
expect_json_error 400 "/api/search?q=a$(repeat 225 '&p=1')"
assert_contains "$BODY" "too many parameters" "the error says why"
# URLs of 4096 bytes, as many parameters as fit: answered, not dropped
url="/api/search?$(repeat 4084 '&')"
assert_eq 4096 "${#url}" "the longest URL"
expect_json_error 400 "$url"
url="/api/search?q=a$(repeat 2040 '&a')"
expect_json_error 400 "$url"
expect_json_error 400 "/api/search?$(repeat 2042 'a&')"
expect_json_error 414 "/api/search?q=a$(repeat 2041 '&a')&b"
# a NUL byte cuts nothing short silently
expect_json_error 400 "/api/search?q=abc%00def"
assert_contains "$BODY" "NUL" "the error says why"
expect_json_error 400 "/api/suggest?q=%00"
expect_json_error 400 "/api/search?q=a&x%00y=1"
expect_json_error 400 "/api/doc/x?q=%00"

# ---- the log: time (UTC, ms), client, method, path, status, time taken ----
line=$(grep -m1 ' GET /healthz 200 ' "$TMP/searchd.err")
[[ "$line" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z\ 127\.0\.0\.1\ GET\ /healthz\ 200\ [0-9]+\.[0-9]\ ms$ ]] ||
    fail "the log line of a request: $line"
# a path cannot write lines of its own into the log
raw "/x%0a2026-01-01T00:00:00.000Z%20127.0.0.9%20GET%20/forged%20200%200.1%20ms"
assert_eq 404 "$STATUS" "a path with a line feed"
assert_not_contains "$(cut -c1-40 "$TMP/searchd.err")" "127.0.0.9" "a forged log line"
assert_contains "$(cat "$TMP/searchd.err")" 'GET /x\x0a2026' "the line feed is shown escaped"
# nor can NEL, U+2028 or ill-formed UTF-8; Arabic stays as it is
raw "/y%C2%85a%E2%80%A8b%FFc%D8%B2"
assert_eq 404 "$STATUS" "a path with NEL, U+2028 and a bad byte"
assert_contains "$(cat "$TMP/searchd.err")" 'GET /y\xc2\x85a\xe2\x80\xa8b\xffcز 404' \
    "line breaks beyond ASCII and bad bytes are shown escaped"

# ---- /healthz: a database removed, or damaged, after the start ----
cp -r "$DB" "$TMP/gone"
kill "$SEARCHD_PID"
wait_bg "$SEARCHD_PID"
DB=$TMP/gone
start_searchd
raw /healthz
assert_eq 200 "$STATUS" "healthz before"
rm -rf "$TMP/gone"
raw /healthz
assert_eq "503 unavailable" "$STATUS $(json_eval 'd["status"]' <<<"$BODY")" "healthz of a removed database"
assert_contains "$(json_eval 'd["error"]' <<<"$BODY")" "no database"
assert_not_contains "$BODY" "$TMP" "healthz names no path"
grep -q " GET /healthz 503 [0-9.]* ms: .*$TMP/gone" "$TMP/searchd.err" ||
    fail "the log gives the reason of a 503: $(cat "$TMP/searchd.err")"
kill "$SEARCHD_PID"
wait_bg "$SEARCHD_PID"

cp -r "$TMP/db" "$TMP/damaged"
DB=$TMP/damaged
start_searchd
raw /healthz
assert_eq 200 "$STATUS" "healthz before"
"$PYTHON" -c 'import os, sys; f = open(sys.argv[1], "r+b"); f.write(b"\x55" * os.path.getsize(sys.argv[1]))' \
    "$DB/postlist.glass"
raw /healthz
assert_eq "503 unavailable" "$STATUS $(json_eval 'd["status"]' <<<"$BODY")" "healthz of a damaged database"
assert_not_contains "$BODY" "Xapian" "healthz gives no library message"
assert_not_contains "$BODY" "$TMP" "healthz names no path"
grep -q " GET /healthz 503 [0-9.]* ms: .*Corrupt" "$TMP/searchd.err" ||
    fail "the log says the database is damaged: $(cat "$TMP/searchd.err")"
if [ "$(id -u)" != 0 ]; then # root reads anyway
    cp -r "$TMP/db" "$TMP/locked"
    kill "$SEARCHD_PID"
    wait_bg "$SEARCHD_PID"
    DB=$TMP/locked
    start_searchd
    chmod 000 "$DB"
    raw /healthz
    assert_eq 503 "$STATUS" "healthz of an unreadable database"
    chmod 755 "$DB"
fi
kill "$SEARCHD_PID"
wait_bg "$SEARCHD_PID"

# ---- slow clients ----
# 40 clients from 127.0.0.2 sending a header byte every 0.25 s, connecting
# again when cut off, against 16 connections at most, 8 per address and a
# header deadline of 1 s: the client from 127.0.0.1 is answered throughout;
# the attackers beyond 8 are refused at once, the others cut after 1 s.
DB=$TMP/db
start_searchd --max-connections 16 --max-per-client 8 --header-timeout 1
summary=$("$PYTHON" "$CLIENT" slow "${BASE##*:}" --attackers 40 --seconds 5 --byte-every 0.25 \
    --target "/api/search?q=Zuckerberg" --legit-every 0.1) || fail "the slow clients' attack failed"
check()
{
    assert_eq True "$(json_eval "$1" <<<"$summary")" "$2 ($summary)"
}
check 'str(d["legit_requests"] >= 5 and d["legit_ok"] == d["legit_requests"])' \
    "every request of the other client is answered during the attack"
check 'str(d["legit_max_ms"] < 5000)' "and none waits for long"
check 'str(d["refused"] > 0)' "the attackers' connections beyond 8 are refused"
check 'str(d["cut"] > 0 and d["cut_min_s"] >= 0.9 and d["cut_max_s"] < 4)' \
    "the others are cut off after the header deadline"
assert_contains "$(cat "$TMP/searchd.err")" "with no whole request after 1 s" "the log says so"
kill "$SEARCHD_PID"
wait_bg "$SEARCHD_PID"
assert_eq 0 "$BG_RC" "searchd stops cleanly after the attack"

# ---- a write whose body comes a byte at a time ----
# The header deadline covers the body: the connection is cut after 1 s,
# nothing is written, and searches go on being answered.
(umask 077 && printf 'hostile-admin-key-0123456789\n' >"$TMP/admin.key")
start_searchd --header-timeout 1 --admin-key-file "$TMP/admin.key"
summary=$("$PYTHON" "$CLIENT" post "${BASE##*:}" /api/documents --key-file "$TMP/admin.key" \
    --body '[{"id": "slow-body", "body": "a body sent a byte at a time"}]' --send 3 \
    --byte-every 0.25) || fail "hostile_client.py post"
check 'str(d["status"] == 0 and 0.9 <= d["seconds"] < 4)' "a body that trickles in is cut off"
raw /api/doc/slow-body
assert_eq 404 "$STATUS" "and nothing of it is written"
raw "/api/search?q=Zuckerberg"
assert_eq 200 "$STATUS" "searches go on"
kill "$SEARCHD_PID"
wait_bg "$SEARCHD_PID"
assert_eq 0 "$BG_RC" "searchd stops cleanly after the slow write"

# the options' bounds
assert_exit 2 "$SEARCHD" -d "$DB" --header-timeout 0
assert_exit 2 "$SEARCHD" -d "$DB" --max-per-client -1
assert_exit 2 "$SEARCHD" -d "$DB" --max-body-mb 0
assert_exit 2 "$SEARCHD" -d "$DB" --max-body-mb 65
echo "ok"
