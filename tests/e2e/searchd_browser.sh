#!/usr/bin/env bash
# searchd_browser.sh - the search page in a real browser: headless Chromium,
# driven by playwright-core (tests/browser/page.test.js), types Arabic into the
# page served by searchd over corpus/ and the news fixture, and checks the
# highlighted name, the right-to-left layout, suggestions, pages, the URL,
# "did you mean", errors and the keyboard.  Screenshots go to
# $BUILD_DIR/browser/*.png.  Needs chromium, node and npm (scripts/test
# installs them); playwright-core is installed into $BUILD_DIR/browser.
source "$(dirname "$0")/lib.sh"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
for tool in node npm "$CHROMIUM"; do
    command -v "$tool" >/dev/null ||
        fail "$tool is missing: the browser test needs chromium, node and npm (scripts/test installs them: apt-get install chromium nodejs npm)"
done

# playwright-core, pinned by tests/browser/package-lock.json, installed into
# the build directory (never the source tree); no browser is downloaded.
WEB=$BUILD_DIR/browser
mkdir -p "$WEB" || fail "cannot create $WEB"
if ! cmp -s "$SOURCE_DIR/tests/browser/package-lock.json" "$WEB/package-lock.json" ||
    [ ! -f "$WEB/node_modules/playwright-core/package.json" ]; then
    cp "$SOURCE_DIR/tests/browser/package.json" "$SOURCE_DIR/tests/browser/package-lock.json" "$WEB/" ||
        fail "cannot copy tests/browser/package*.json to $WEB"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$WEB" --no-audit --no-fund \
        --cache "$TMP/npm-cache" >"$TMP/npm.log" 2>&1 || {
        rm -f "$WEB/package-lock.json" # try again next time
        fail "npm ci of playwright-core into $WEB failed: $(tail -5 "$TMP/npm.log")"
    }
fi
rm -f "$WEB"/*.png

# corpus/ (Arabic articles naming زوكربيرغ), the news fixture (Arabic and
# English, more than one page for ميتا) and two documents with a URL: one a
# link, one a script URL that must not become one.
cat >"$TMP/linked.jsonl" <<'EOF'
{"id": "meta-lab-link", "title": "ميتا تفتح مختبرا جديدا", "body": "أعلنت ميتا عن مختبر جديد للذكاء الاصطناعي.", "url": "https://news.example/meta-lab", "lang": "ar"}
{"id": "script-url-en", "title": "Meta and a script link", "body": "Meta ميتا: a document whose URL is a script.", "url": "javascript:alert(1)", "lang": "en"}
EOF
DB=$TMP/db
"$INDEXER" -d "$DB" "$SOURCE_DIR/corpus" "$SOURCE_DIR/tests/fixtures/news/news.jsonl" \
    "$TMP/linked.jsonl" >/dev/null 2>&1 || fail "cannot index corpus/ and the news fixture"

start_searchd --quiet
mkdir -p "$HOME"
FIHRIS_URL=$BASE SCREENSHOT_DIR=$WEB CHROMIUM=$CHROMIUM NODE_PATH=$WEB/node_modules \
    node --test-reporter=spec "$SOURCE_DIR/tests/browser/page.test.js" ||
    fail "the page failed in the browser (see above; screenshots in $WEB)"
for png in typing-ar suggestions page2 did-you-mean english; do
    [ -s "$WEB/$png.png" ] || fail "no screenshot $WEB/$png.png"
done

kill -TERM "$SEARCHD_PID"
wait_bg "$SEARCHD_PID"
assert_eq 0 "$BG_RC" "searchd exits 0 on SIGTERM"
echo "ok (screenshots in $WEB)"
