#!/usr/bin/env bash
# searchd_browser.sh - the search page in a real browser: headless Chromium,
# driven by playwright-core (tests/browser/page.test.js), types Arabic into the
# page served by searchd over corpus/ and the news fixture, and checks the
# highlighted name, the right-to-left layout, suggestions, pages, the URL,
# "did you mean", errors, the keyboard and the reading view of a document.  Screenshots go to
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
# Documents without a URL for the reading view: an Arabic one whose id holds
# spaces, slashes, Arabic, ?, # and % (and %20, which must not be decoded
# twice), an English one, one the test deletes while its result is shown,
# and one of 1.2 MB whose paragraphs the view shows a chunk at a time (one
# paragraph of 200 KB, with line breaks only, is cut inside).
cat >"$TMP/reader.jsonl" <<'EOF'
{"id": "قسم/مقال 1?a=b#c%20 d", "title": "مرصد القنطرة", "body": "يقع مرصد القنطرة على تلة قرب المدينة.\nبني في القرن الماضي.\n\nيفتح المرصد أبوابه للزوار كل جمعة.\n\n \n\nتصوير القنطرة ليلا ممنوع.", "date": "2024-05-01", "source": "الأرشيف", "lang": "ar"}
{"id": "lighthouse-en", "title": "The lighthouse keeper", "body": "The lighthouse stands on the northern cape.\nIts lamp was lit in 1890.\n\nKeepers lived there until 1985.\r\n\r\nThe lighthouse is a museum now.", "date": "2023-09-14", "source": "Coast Gazette", "lang": "en"}
{"id": "deleted-soon", "title": "An ephemeral notice", "body": "This ephemeral notice is deleted while its result is shown.", "lang": "en"}
EOF
"$PYTHON" - "$TMP/reader.jsonl" <<'PY' || fail "cannot write the long document"
import json, sys
paras = ["Paragraph %d of the marathon document: " % i + "the runners pass the old mill. " * 12
         for i in range(3000)]
paras[1500] = "\n".join("A line of the paragraph that never ends, number %d." % i for i in range(4000))
paras.append("THE END OF THE LONG DOCUMENT.")
with open(sys.argv[1], "a") as f:
    f.write(json.dumps({"id": "long-doc", "title": "A very long document", "body": "\n\n".join(paras),
                        "lang": "en"}) + "\n")
PY
DB=$TMP/db
"$INDEXER" -d "$DB" "$SOURCE_DIR/corpus" "$SOURCE_DIR/tests/fixtures/news/news.jsonl" \
    "$TMP/linked.jsonl" "$TMP/reader.jsonl" >/dev/null 2>&1 || fail "cannot index corpus/ and the news fixture"

start_searchd --quiet
mkdir -p "$HOME"
FIHRIS_URL=$BASE SCREENSHOT_DIR=$WEB CHROMIUM=$CHROMIUM NODE_PATH=$WEB/node_modules \
    FIHRIS_INDEXER=$INDEXER FIHRIS_DB=$DB \
    node --test-reporter=spec "$SOURCE_DIR/tests/browser/page.test.js" ||
    fail "the page failed in the browser (see above; screenshots in $WEB)"
for png in typing-ar suggestions page2 did-you-mean english reader-ar reader-en; do
    [ -s "$WEB/$png.png" ] || fail "no screenshot $WEB/$png.png"
done

kill -TERM "$SEARCHD_PID"
wait_bg "$SEARCHD_PID"
assert_eq 0 "$BG_RC" "searchd exits 0 on SIGTERM"
echo "ok (screenshots in $WEB)"
