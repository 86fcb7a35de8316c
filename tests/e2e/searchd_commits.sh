#!/usr/bin/env bash
# searchd_commits.sh - writes over HTTP share commits: a write after a quiet
# moment is committed at once, the writes that come within --commit-interval
# of a commit wait and are committed together, each answered with its own
# counts and found once answered; a full disk fails the writes of its commit
# with 507, keeps searchd answering and the database as it was, and once
# there is room the same writes succeed.  The disk part needs root (a small
# tmpfs) and is skipped without it.
set -u
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

(umask 077 && printf 'commits-admin-key-0123456789abcdef\n' >"$TMP/admin.key")
ADMIN=(-H "Authorization: Bearer commits-admin-key-0123456789abcdef")

# commits: fihris_write_commits_total of /metrics
commits()
{
    call GET /metrics "${ADMIN[@]}"
    assert_eq 200 "$STATUS" "/metrics"
    sed -n 's/^fihris_write_commits_total \([0-9]*\)$/\1/p' <<<"$BODY"
}

# hits QUERY: the number of documents a search finds
hits()
{
    call GET "/api/search?q=$1" "${ADMIN[@]}"
    assert_eq 200 "$STATUS" "search $1"
    json_eval 'd["total"]' <<<"$BODY"
}

# post_all N PREFIX: N writes of one document each (ids PREFIX-0 ...), sent
# at once from N threads; prints one line per write: status, seconds, body.
cat >"$TMP/post_all.py" <<'EOF'
import json, sys, threading, time, urllib.error, urllib.request
base, key, n, prefix = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
results = [None] * n
start = threading.Barrier(n)

def post(i):
    doc = {"id": "%s-%d" % (prefix, i), "title": "%s %d" % (prefix, i),
           "body": "%sword grouped document number %d" % (prefix, i)}
    req = urllib.request.Request(base + "/api/documents", json.dumps([doc]).encode(),
                                 headers={"Authorization": "Bearer " + key,
                                          "Content-Type": "application/json"})
    start.wait()
    t = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            status, body = r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        status, body = e.code, e.read().decode()
    results[i] = "%d %.3f %s" % (status, time.monotonic() - t, body.replace("\n", " "))

threads = [threading.Thread(target=post, args=(i,)) for i in range(n)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("\n".join(results))
EOF
post_all()
{
    "$PYTHON" "$TMP/post_all.py" "$BASE" "$(cat "$TMP/admin.key")" "$1" "$2" ||
        fail "post_all.py $*"
}

# ---- writes of a moment share a commit ----
# (at the default priority of writes, below the searches')

# after a quiet moment (none yet): at once, not a minute later
DB=$TMP/quiet
start_searchd_with -d "$DB" --listen 127.0.0.1:0 --admin-key-file "$TMP/admin.key" \
    --commit-interval 60000 --quiet
out=$(post_all 1 quiet)
assert_eq 200 "${out%% *}" "a write after a quiet moment"
secs=$(cut -d' ' -f2 <<<"$out")
"$PYTHON" -c "import sys; sys.exit(not float(sys.argv[1]) < 30)" "$secs" ||
    fail "a write after a quiet moment waited $secs s, for the interval (60 s)"
# a write waiting for the interval when searchd is stopped is committed and
# answered at once
post_all 1 waiting >"$TMP/waiting.out" &
waiting=$!
for ((i = 0; i < 600; i++)); do
    call GET /metrics "${ADMIN[@]}"
    grep -qx 'fihris_writes_waiting 1' <<<"$BODY" && break
    sleep 0.05
done
grep -qx 'fihris_writes_waiting 1' <<<"$BODY" || fail "the write never came to wait"
kill "$SEARCHD_PID"
wait "$waiting" || fail "post_all waiting"
out=$(cat "$TMP/waiting.out")
assert_eq 200 "${out%% *}" "the write waiting when searchd stopped: $out"
secs=$(cut -d' ' -f2 <<<"$out")
"$PYTHON" -c "import sys; sys.exit(not float(sys.argv[1]) < 30)" "$secs" ||
    fail "the write waiting when searchd stopped took $secs s"
wait_bg "$SEARCHD_PID"
assert_eq 0 "$BG_RC" "searchd stops cleanly with a write waiting"
assert_exit 0 "$SEARCH" -d "$DB" --format ids waitingword
assert_eq "waiting-0" "$OUT" "the write is in the database"

DB=$TMP/db
start_searchd_with -d "$DB" --listen 127.0.0.1:0 --admin-key-file "$TMP/admin.key" \
    --commit-interval 8000 --quiet
assert_eq 0 "$(commits)" "no commit before the first write"
out=$(post_all 1 first)
assert_eq 200 "${out%% *}" "the first write"
assert_eq 1 "$(commits)" "one commit for the first write"
assert_eq 1 "$(hits firstword)" "the first write is found once answered"

# 8 writes at once, within the interval of that commit: they wait for it to
# end, and share one commit (two if one came late)
out=$(post_all 8 group)
assert_eq 8 "$(grep -c '^200 ' <<<"$out")" "the 8 writes: $out"
while read -r status secs body; do
    assert_eq 1 "$(json_eval 'd["added"]' <<<"$body")" "each write counts its own document"
    "$PYTHON" -c "import sys; sys.exit(not float(sys.argv[1]) > 2)" "$secs" ||
        fail "a write within the interval was committed after $secs s, not at its end"
done <<<"$out"
n=$(commits)
[ "$n" -ge 2 ] && [ "$n" -le 3 ] || fail "8 writes at once took $((n - 1)) commits, not 1 or 2"
assert_eq 8 "$(hits groupword)" "the 8 documents are found once answered"
for i in 0 7; do
    call GET "/api/doc/group-$i" "${ADMIN[@]}"
    assert_eq 200 "$STATUS" "group-$i is stored"
done

# a delete shares a commit with a write of another document, each its own count
cat >"$TMP/mixed.py" <<'EOF'
import json, sys, threading, urllib.request
base, key = sys.argv[1], sys.argv[2]
h = {"Authorization": "Bearer " + key, "Content-Type": "application/json"}
calls = [("/api/documents", [{"id": "mixed-1", "body": "mixedword"}]),
         ("/api/documents/delete", ["group-0", "nosuch"])]
out = [None, None]
def go(i):
    path, body = calls[i]
    with urllib.request.urlopen(urllib.request.Request(base + path, json.dumps(body).encode(),
                                                       headers=h), timeout=120) as r:
        out[i] = json.loads(r.read())
ts = [threading.Thread(target=go, args=(i,)) for i in range(2)]
[t.start() for t in ts]
[t.join() for t in ts]
print(json.dumps(out))
EOF
out=$("$PYTHON" "$TMP/mixed.py" "$BASE" "$(cat "$TMP/admin.key")") || fail "mixed.py"
assert_eq "1 0 0 1 1" \
    "$(json_eval '"%d %d %d %d %d" % (d[0]["added"], d[0]["deleted"], d[1]["added"], d[1]["deleted"], d[1]["not_found"])' <<<"$out")" \
    "a write and a delete in one commit, each with its own counts"
assert_eq "1 7" "$(hits mixedword) $(hits groupword)" "both are seen"
kill "$SEARCHD_PID"
wait_bg "$SEARCHD_PID"
assert_eq 0 "$BG_RC" "searchd stops cleanly"

# ---- a full disk ----
mount_small_disk 14m "the full disk part"
DB=$DISK/db
# room taken now, given back later
head -c $((6 << 20)) /dev/zero >"$DISK/filler" || fail "cannot write the filler"
start_searchd --admin-key-file "$TMP/admin.key" --commit-interval 200 --quiet --max-body-mb 8
gen_jsonl "$TMP/batch.jsonl" 1000 full
# Calls of 1000 documents, 4 at a time, until the disk is full
full=""
for round in $(seq 0 29); do
    pids=()
    for k in 0 1 2 3; do
        sed "s/\"full-/\"r$round-$k-/" "$TMP/batch.jsonl" >"$TMP/b$k.jsonl"
        curl -s -o "$TMP/r$k.out" -w '%{http_code}' "${ADMIN[@]}" \
            -H 'Content-Type: application/x-ndjson' --data-binary "@$TMP/b$k.jsonl" \
            "$BASE/api/documents" >"$TMP/r$k.status" &
        pids+=($!)
    done
    wait "${pids[@]}"
    for k in 0 1 2 3; do
        status=$(cat "$TMP/r$k.status")
        case $status in
        200) ;;
        507) full=$k ;;
        *) fail "a write as the disk filled answered $status: $(cat "$TMP/r$k.out")" ;;
        esac
    done
    [ -n "$full" ] && break
done
[ -n "$full" ] || fail "the disk never filled"
assert_contains "$(cat "$TMP/r$full.out")" "the database's disk is full" "507 says why"
alive "$SEARCHD_PID" || fail "searchd died when the disk filled"
call GET /healthz
assert_eq 200 "$STATUS" "searchd still answers"
# every document stored was in a write answered 200: the rest are not there
stored=$(json_eval 'd["documents"]' <<<"$BODY")
assert_eq "$(($(cat "$TMP"/r?.status | grep -c 200) * 1000 + 4000 * round))" "$stored" \
    "the documents of the writes answered 200, and no other"
call GET "/api/doc/r$round-$full-0" "${ADMIN[@]}"
assert_eq 404 "$STATUS" "a document of the write that failed"

# room again: the write that failed now succeeds
rm -f "$DISK/filler"
curl -s -o "$TMP/again.out" -w '%{http_code}' "${ADMIN[@]}" \
    -H 'Content-Type: application/x-ndjson' --data-binary "@$TMP/b$full.jsonl" \
    "$BASE/api/documents" >"$TMP/again.status"
assert_eq 200 "$(cat "$TMP/again.status")" "the write once there is room: $(cat "$TMP/again.out")"
call GET /healthz
assert_eq $((stored + 1000)) "$(json_eval 'd["documents"]' <<<"$BODY")" "its documents are stored"
call GET "/api/doc/r$round-$full-0" "${ADMIN[@]}"
assert_eq 200 "$STATUS" "and found"
kill "$SEARCHD_PID"
wait_bg "$SEARCHD_PID"
echo "ok"
