// page.test.js - the search page in a real browser: headless Chromium driven
// by playwright-core, typing, reading and moving about the page as a user
// does, with the keyboard as much as possible.
//
// Run by tests/e2e/searchd_browser.sh, which indexes corpus/ and the news
// fixture, starts searchd and sets:
//   FIHRIS_URL      where searchd serves the page (http://127.0.0.1:PORT)
//   SCREENSHOT_DIR  where the screenshots go
//   CHROMIUM        the browser (default /usr/bin/chromium)
//   FIHRIS_INDEXER, FIHRIS_DB  the indexer and the database searchd serves
//                   (a test deletes a document while its result is shown)
// playwright-core is found through NODE_PATH (installed into the build
// directory, never into the source tree).
'use strict';
const {describe, test, before, after, beforeEach, afterEach} = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const {execFileSync} = require('node:child_process');
const {chromium} = require('playwright-core');

const BASE = process.env.FIHRIS_URL;
const SHOTS = process.env.SCREENSHOT_DIR;
if (!BASE || !SHOTS || !process.env.FIHRIS_INDEXER || !process.env.FIHRIS_DB)
  throw new Error('set FIHRIS_URL, SCREENSHOT_DIR, FIHRIS_INDEXER and FIHRIS_DB (tests/e2e/searchd_browser.sh does)');

const NAME = 'زوكربيرغ';
// How the documents spell the name; any of them may be what a match marks.
const NAME_SPELLINGS = /^(زوكربيرغ|زوكربيرج|زوكربرج|زاكربيرج|لزوكربيرج|zuckerberg)$/i;

// One tab for every test (a new one costs a second on a busy machine); each
// test begins by loading the page.  Every test ends with no script error, no
// error on the console and nothing refused by the page's
// Content-Security-Policy: a refused script, style or handler breaks the page.
let browser, page, pageErrors = [], consoleErrors = [], violations = [];

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
  const context = await browser.newContext({viewport: {width: 1000, height: 900}, locale: 'ar'});
  page = await context.newPage();
  page.setDefaultTimeout(8000);
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  // An answer of 400 or 404 the test asks for is logged as a failed load:
  // not an error of the page.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text()))
      consoleErrors.push(m.text());
  });
  await context.exposeFunction('reportViolation', (v) => violations.push(v));
  await context.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) =>
    window.reportViolation(e.violatedDirective + ' refused ' + (e.blockedURI || 'inline') + ' (' +
                           e.sourceFile + ':' + e.lineNumber + ')')));
});
after(async () => { if (browser) await browser.close(); });

beforeEach(() => { pageErrors = []; consoleErrors = []; violations = []; });
afterEach(() => {
  assert.deepEqual(pageErrors, [], 'the page threw no script error');
  assert.equal(violations.join('\n'), '', 'the Content-Security-Policy refused nothing');
  assert.equal(consoleErrors.join('\n'), '', 'the page logged no error');
});

const shot = (name, fullPage = false) => page.screenshot({path: path.join(SHOTS, name), fullPage});
const status = () => page.locator('#status');
const hits = () => page.locator('#results article.hit');
const query = () => new URL(page.url()).searchParams;

// What the API says for a query, to compare the page with.
async function api(q, pageNo = 1) {
  const r = await page.request.get(BASE + '/api/search?q=' + encodeURIComponent(q) + '&page=' + pageNo);
  assert.equal(r.status(), 200);
  return r.json();
}

// The ids shown (from the meta line, which ends with the id).
async function shownIds() {
  return page.locator('#results .hit .meta').evaluateAll((ms) => ms.map((m) => m.textContent.split(' · ').pop()));
}

async function waitForResults() {
  await page.waitForFunction(() => document.querySelector('#results article.hit') &&
    !document.getElementById('results').hasAttribute('aria-busy'));
}

// Waits until the page has searched for Q (typed to its end: the searches
// of what was typed before it may have been answered first) and shown the
// answer.
async function settled(q) {
  await page.waitForFunction((q) => new URL(location.href).searchParams.get('q') === q &&
    !document.getElementById('results').hasAttribute('aria-busy') &&
    document.getElementById('status').textContent !== '', q);
}

describe('the search page', () => {
  test('typing the name shows highlighted results as you type, right to left', async () => {
    await page.goto(BASE + '/');
    await page.locator('#q').focus();
    await page.keyboard.type(NAME, {delay: 40}); // no Enter
    await settled(NAME);

    const marks = await page.locator('#results .hit b').allTextContents();
    assert.ok(marks.length > 0, 'matches are marked with <b>');
    assert.ok(marks.some((m) => NAME_SPELLINGS.test(m.trim())), 'a mark is the name: ' + marks.join(', '));
    assert.ok(await page.locator('#results .hit h2 b').count() > 0, 'titles are marked too');

    assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).direction), 'rtl');
    assert.equal(await page.locator('#results').evaluate((e) => getComputedStyle(e).direction), 'rtl');
    await expectDirections({ar: 'rtl', en: 'ltr'});
    // Right to left on screen too: the box starts at the right, its button at its left.
    const box = await page.locator('#q').boundingBox(), go = await page.locator('#go').boundingBox();
    assert.ok(box.x > go.x, 'the search box is right of its button');

    const expected = await api(NAME);
    assert.match(await status().textContent(), new RegExp('عدد النتائج: ' + expected.total + '$'));
    assert.deepEqual(await shownIds(), expected.hits.map((h) => h.id), 'the results the API gives, in its order');
    await shot('typing-ar.png', true);
  });

  test('"why this result?" says how each query word met the document, from the keyboard', async () => {
    await page.goto(BASE + '/?q=' + encodeURIComponent(NAME + ' ميتا'));
    await waitForResults();
    const first = page.locator('#results .hit').first();
    await first.locator('summary').focus();
    await page.keyboard.press('Enter');
    const items = first.locator('.why li');
    await items.first().waitFor();
    const r = await page.request.get(BASE + '/api/search?explain=1&q=' +
                                     encodeURIComponent(NAME + ' ميتا'));
    const why = (await r.json()).hits[0].why;
    assert.ok(why.length > 0, 'the API explains the first hit');
    assert.equal(await items.count(), why.length, 'one line per reason the API gives');
    const lines = await items.allTextContents();
    assert.ok(lines.some((l) => l.startsWith(NAME + ':')), 'a line for the name: ' + lines.join(' | '));
    assert.ok(lines.every((l) => /(مطابقة تامة|بالجذع|بتهجئة أخرى|بخط آخر) \(.+\) \+\d+\.\d\d$/.test(l)),
              'each says how, with which words and what share of the score: ' + lines.join(' | '));
    await shot('why.png');
  });

  test('suggestions appear under the box; arrows and Enter pick one, Escape closes them', async () => {
    await page.goto(BASE + '/');
    const q = page.locator('#q'), list = page.locator('#suggestions');
    await q.pressSequentially('زوك', {delay: 40});
    await list.locator('li').first().waitFor();
    const words = await list.locator('li').allTextContents();
    assert.ok(words.some((w) => NAME_SPELLINGS.test(w)), 'the name completes the prefix: ' + words.join(', '));
    assert.equal(await q.getAttribute('aria-expanded'), 'true');
    const qBox = await q.boundingBox(), lBox = await list.boundingBox();
    assert.ok(lBox.y >= qBox.y + qBox.height - 1, 'the list is under the box');
    assert.ok(Math.abs(lBox.x + lBox.width - (qBox.x + qBox.width)) < 2, 'and starts at its right edge');
    await shot('suggestions.png');

    await page.keyboard.press('ArrowDown');
    assert.equal(await list.locator('li').first().getAttribute('aria-selected'), 'true');
    assert.equal(await q.getAttribute('aria-activedescendant'), await list.locator('li').first().getAttribute('id'));
    await page.keyboard.press('Enter');
    assert.equal(await q.inputValue(), words[0] + ' ', 'Enter puts the chosen word in the box');
    assert.ok(await list.isHidden(), 'and closes the list');
    await settled(words[0]);
    assert.ok(await page.locator('#results .hit b').count() > 0, 'the results of the chosen word, marked');
    await expectFocused('#q');

    await q.fill('');
    await q.pressSequentially('مختب', {delay: 40});
    await list.locator('li').first().waitFor();
    await page.keyboard.press('Escape');
    assert.ok(await list.isHidden(), 'Escape closes the list');
    assert.equal(await q.inputValue(), 'مختب', 'and keeps what was typed');
  });

  test('pages: which page, previous and next, in the URL, reloaded and back', async () => {
    const q = 'ميتا';
    const first = await api(q), second = await api(q, 2);
    assert.ok(first.total > 10, 'the query has more than one page of results (' + first.total + ')');
    const pages = Math.ceil(first.total / 10);
    await page.goto(BASE + '/?q=' + encodeURIComponent(q));
    await waitForResults();
    assert.equal(await page.locator('#q').inputValue(), q, 'the box shows the query of the URL');
    assert.equal(await page.locator('#pages [aria-current=page]').textContent(), 'صفحة 1 من ' + pages);
    assert.equal(await page.locator('#pages a.prev').count(), 0, 'no previous page on the first');
    assert.deepEqual(await shownIds(), first.hits.map((h) => h.id));

    await page.locator('#pages a.next').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('page') === '2');
    await page.locator('#pages [aria-current=page]').filter({hasText: 'صفحة 2 من ' + pages}).waitFor();
    assert.deepEqual(await shownIds(), second.hits.map((h) => h.id), 'page 2 shows the next results');
    assert.equal(query().get('q'), q, 'the URL carries the query');
    await expectFocused('#results');
    await shot('page2.png');

    await page.reload();
    await waitForResults();
    assert.equal(await page.locator('#pages [aria-current=page]').textContent(), 'صفحة 2 من ' + pages, 'a reload shows the same page');
    assert.deepEqual(await shownIds(), second.hits.map((h) => h.id));
    assert.equal(await page.locator('#q').inputValue(), q);

    await page.locator('#pages a.prev').click();
    await page.locator('#pages [aria-current=page]').filter({hasText: 'صفحة 1 من'}).waitFor();
    await page.goBack();
    await page.locator('#pages [aria-current=page]').filter({hasText: 'صفحة 2 من'}).waitFor();
    assert.deepEqual(await shownIds(), second.hits.map((h) => h.id), 'back shows page 2 again');
    await page.goBack();
    await page.locator('#pages [aria-current=page]').filter({hasText: 'صفحة 1 من'}).waitFor();
    assert.deepEqual(await shownIds(), first.hits.map((h) => h.id), 'and back again page 1');

    await page.goto(BASE + '/?q=' + encodeURIComponent(q) + '&page=9');
    await page.locator('#pages [aria-current=page]').filter({hasText: 'صفحة ' + pages + ' من ' + pages}).waitFor();
    assert.equal(query().get('page'), String(pages), 'a page past the last shows the last');
  });

  test('a misspelt word shows "did you mean", followed with the keyboard', async () => {
    const typo = 'مختبرت', right = 'مختبرات';
    assert.equal((await api(typo)).suggestion, right, 'the API suggests the spelling');
    await page.goto(BASE + '/');
    await page.locator('#q').pressSequentially(typo, {delay: 30});
    await settled(typo);
    const dym = page.locator('#didyoumean');
    await dym.waitFor();
    assert.equal(await page.locator('#suggestion').textContent(), right);
    await shot('did-you-mean.png');
    // Tab: the suggestions close, the button, then the suggested spelling.
    await page.keyboard.press('Tab');
    await expectFocused('#go');
    await page.keyboard.press('Tab');
    await expectFocused('#suggestion');
    await page.keyboard.press('Enter');
    await settled(right);
    assert.equal(await page.locator('#q').inputValue(), right);
    assert.ok(await dym.isHidden(), 'no suggestion for a word the index has');
    assert.ok(await page.locator('#results .hit b').count() > 0, 'the results of the suggested word, marked');
  });

  test('keyboard alone: Tab from the box reaches the result links, then the pages, with a visible focus', async () => {
    await page.goto(BASE + '/?q=' + encodeURIComponent('ميتا'));
    await waitForResults();
    await page.locator('#q').focus();
    const order = [];
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(() => {
        const e = document.activeElement, s = getComputedStyle(e);
        return {id: e.id, cls: e.className, tag: e.tagName, href: e.getAttribute('href') || '',
                inHit: !!e.closest('.hit'), outline: s.outlineStyle + ' ' + s.outlineWidth};
      });
      order.push(f);
      if (f.cls === 'next') break;
    }
    const what = order.map((f) => f.id || f.cls || f.tag).join(' → ');
    assert.equal(order[0].id, 'go', 'first the button: ' + what);
    const link = order.findIndex((f) => f.inHit && f.tag === 'A' && f.href.startsWith('https:'));
    assert.ok(link > 0, 'a result title linking to its URL is reached with Tab: ' + what);
    assert.equal(order[link].href, 'https://news.example/meta-lab');
    const reader = order.findIndex((f) => f.inHit && f.tag === 'A' && new URL(f.href, BASE).searchParams.has('doc'));
    assert.ok(reader > 0, 'a result title opening the reading view is reached with Tab: ' + what);
    assert.equal(order.at(-1).cls, 'next', 'then the next page: ' + what);
    for (const f of order) assert.notEqual(f.outline.split(' ')[0], 'none', 'focus is visible on ' + (f.id || f.cls || f.tag));
    // A link only for http(s): a script URL in a document is no link.
    const script = hits().filter({hasText: 'script-url-en'});
    assert.equal(await script.count(), 1);
    assert.equal(await script.locator('a[href^="javascript:" i]').count(), 0, 'a javascript: URL is not made a link');
    assert.equal(await page.locator('#results a[href^="https://news.example/"]').getAttribute('rel'), 'noopener');
  });

  test('an API error is shown in the status line', async () => {
    await page.goto(BASE + '/');
    await page.locator('#q').pressSequentially('date:soon', {delay: 20});
    await settled('date:soon');
    await page.locator('#status.error').waitFor();
    const s = await status().textContent();
    assert.match(s, /^خطأ: /);
    assert.match(s, /not a date/, 'the message of the API: ' + s);
  });

  test('a slow answer to an older query never replaces a newer one', async (t) => {
    // Answers for the prefixes come late, after the answer for the whole name.
    let pending = 0;
    const delay = async (route) => {
      const q = new URL(route.request().url()).searchParams.get('q');
      if (q !== NAME) {
        pending++;
        await new Promise((r) => setTimeout(r, 800));
        pending--;
      }
      await route.continue().catch(() => {}); // aborted by the page meanwhile
    };
    await page.route('**/api/search?*', delay);
    t.after(() => page.unroute('**/api/search?*', delay));
    await page.goto(BASE + '/');
    await page.locator('#q').pressSequentially(NAME, {delay: 160}); // each prefix is searched
    await settled(NAME);
    while (pending > 0) await page.waitForTimeout(100);
    await page.waitForTimeout(300);
    const expected = await api(NAME);
    assert.match(await status().textContent(), new RegExp('عدد النتائج: ' + expected.total + '$'));
    assert.deepEqual(await shownIds(), expected.hits.map((h) => h.id));
    assert.equal(query().get('q'), NAME);
  });

  test('markup in a document\'s title and passage shows as text; only <b> marks a match', async (t) => {
    // An answer whose marked title and passage carry markup left unescaped,
    // next to what the server escapes: the page builds text and <b> from it,
    // never elements from the markup.
    const img = '<img src=x onerror="window.__pwned=1">', script = '<script>window.__pwned=2</script>';
    const svg = '<svg onload="window.__pwned=3"></svg>';
    const hostile = async (route) => {
      const response = await route.fetch();
      const data = await response.json();
      Object.assign(data.hits[0], {
        title_marked: 'A <b>ميتا</b> title ' + img + script + ' &lt;i&gt;escaped&lt;/i&gt; &amp;amp;',
        snippet: img + ' <b>ميتا</b> ' + script + svg + ' &quot;quoted&quot; &#39;x&#39; &#x41;&#66; &bogus;',
        source: svg,
      });
      data.suggestion = img; // the other fields are shown as text as they are
      await route.fulfill({response, json: data});
    };
    await page.route('**/api/search?*', hostile);
    t.after(() => page.unroute('**/api/search?*', hostile));
    await page.goto(BASE + '/?q=' + encodeURIComponent('ميتا'));
    await waitForResults();
    const first = hits().first();
    assert.equal(await first.locator('h2').textContent(),
                 'A ميتا title ' + img + script + ' <i>escaped</i> &amp;', 'the title\'s markup shows as text');
    assert.equal(await first.locator('.snippet').textContent(),
                 img + ' ميتا ' + script + svg + ' "quoted" \'x\' AB &bogus;', 'the passage\'s markup shows as text');
    const made = await first.evaluate((a) => ({
      title: [...a.querySelectorAll('h2 > * *')].map((e) => e.tagName + ' ' + e.textContent),
      snippet: [...a.querySelectorAll('.snippet *')].map((e) => e.tagName + ' ' + e.textContent),
      weights: [...a.querySelectorAll('h2 b, .snippet b')].map((b) => Number(getComputedStyle(b).fontWeight)),
    }));
    assert.deepEqual(made.title, ['B ميتا'], 'the title holds one element: the <b> of the match');
    assert.deepEqual(made.snippet, ['B ميتا'], 'the passage holds one element: the <b> of the match');
    assert.ok(made.weights.every((w) => w >= 700), 'a match shows bold: ' + made.weights);
    assert.ok((await first.locator('.meta').textContent()).includes(svg), 'the source shows as text');
    assert.equal(await page.locator('#suggestion').textContent(), img, 'the suggestion shows as text');
    const doc = await page.evaluate(() => ({
      pwned: window.__pwned,
      made: document.querySelectorAll('img, svg, i, [onerror], [onload]').length,
      scripts: [...document.scripts].map((e) => e.getAttribute('src')),
    }));
    assert.equal(doc.made, 0, 'no element of the markup was made');
    assert.deepEqual(doc.scripts, ['/app.js'], 'the only script is the page\'s own');
    assert.equal(doc.pwned, undefined, 'no script of the markup ran');
  });

  test('?lang=en: an English page, left to right, Arabic results still right to left', async () => {
    await page.goto(BASE + '/?lang=en&q=Zuckerberg');
    await waitForResults();
    assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).direction), 'ltr');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.equal(await page.locator('#go').textContent(), 'Search');
    assert.match(await status().textContent(), /^\d+ results?/);
    const box = await page.locator('#q').boundingBox(), go = await page.locator('#go').boundingBox();
    assert.ok(box.x < go.x, 'the search box is left of its button');
    await expectDirections({ar: 'rtl', en: 'ltr'});
    assert.ok(await page.locator('#results .hit b').count() > 0, 'matches are marked with <b>');
    // Links the page makes keep the language.
    const next = page.locator('#pages a.next');
    if (await next.count()) assert.equal(new URL(await next.getAttribute('href'), BASE).searchParams.get('lang'), 'en');
    await shot('english.png', true);
  });
});

// The reading view: a result without a URL opens its stored text (/api/doc)
// on the page, at an address of its own (?q=..&doc=ID).
const ODD = 'قسم/مقال 1?a=b#c%20 d'; // an id with spaces, a slash, Arabic, ?, # and % (%20 must stay)
const hitLink = (id) => page.locator('#results .hit[data-id=' + JSON.stringify(id) + '] h2 a');
const paragraphs = () => page.locator('#reader-body p').allTextContents();

async function openedView(id) {
  await page.waitForFunction((id) => {
    const r = document.getElementById('reader');
    return new URL(location.href).searchParams.get('doc') === id && !r.hidden && !r.hasAttribute('aria-busy');
  }, id);
}

async function closedView() {
  await page.waitForFunction(() => document.getElementById('reader').hidden &&
    !new URL(location.href).searchParams.has('doc') && !document.getElementById('listing').hidden);
}

async function expectFocusOn(locator, what) {
  assert.ok(await locator.evaluate((e) => e === document.activeElement), 'focus on ' + what);
}

// The text's direction on screen: where its first line starts and ends,
// against the view's edges.
async function layout() {
  return page.evaluate(() => {
    const view = document.getElementById('reader').getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(document.querySelector('#reader-body p'));
    const line = range.getClientRects()[0], close = document.getElementById('reader-close').getBoundingClientRect();
    return {textAtRight: Math.abs(line.right - view.right) < 2, textAtLeft: Math.abs(line.left - view.left) < 2,
            closeAtRight: Math.abs(close.right - view.right) < 2, closeAtLeft: Math.abs(close.left - view.left) < 2};
  });
}

describe('the reading view of a document', () => {
  test('a result without a URL opens its text on the page, right to left, its words marked; Escape, the close button and Back return to it', async (t) => {
    const q = 'القنطرة';
    const requested = [];
    const log = (r) => { if (r.url().includes('/api/doc/')) requested.push(new URL(r.url()).pathname); };
    page.on('request', log);
    t.after(() => page.off('request', log));
    await page.goto(BASE + '/?q=' + encodeURIComponent(q));
    await waitForResults();
    const link = hitLink(ODD);
    assert.equal(new URL(await link.getAttribute('href'), BASE).searchParams.get('doc'), ODD,
                 'the title links to the view of the document');
    assert.equal(await link.getAttribute('target'), null, 'in this tab');
    await link.focus();
    await page.keyboard.press('Enter');
    await openedView(ODD);
    assert.equal(query().get('q'), q, 'the address keeps the query');
    assert.deepEqual(requested, ['/api/doc/' + encodeURIComponent(ODD)], 'the id is one path segment, its odd characters escaped');
    await expectFocused('#reader-title');
    assert.ok(await page.locator('#listing').isHidden(), 'the view takes the place of the results');
    assert.equal(await page.locator('#reader-title').textContent(), 'مرصد القنطرة');
    assert.equal(await page.title(), 'مرصد القنطرة — فهرس');
    assert.equal(await page.locator('#reader-meta').textContent(), '2024-05-01 · الأرشيف · ar');
    assert.equal(await page.locator('#reader-close').textContent(), 'العودة إلى النتائج');
    const expected = ['يقع مرصد القنطرة على تلة قرب المدينة.\nبني في القرن الماضي.',
                      'يفتح المرصد أبوابه للزوار كل جمعة.', 'تصوير القنطرة ليلا ممنوع.'];
    assert.deepEqual(await paragraphs(), expected, 'the whole body, a paragraph between blank lines');
    assert.equal(await page.locator('#reader-body p').first().evaluate((p) => p.innerText), expected[0],
                 'a line break shows as one');
    assert.equal(await page.locator('#reader-doc').getAttribute('dir'), 'rtl', 'the direction of its language');
    const dirs = await page.locator('#reader-title, #reader-body p').evaluateAll((es) => es.map((e) => getComputedStyle(e).direction));
    assert.deepEqual(dirs, ['rtl', 'rtl', 'rtl', 'rtl']);
    assert.deepEqual(await layout(), {textAtRight: true, textAtLeft: false, closeAtRight: true, closeAtLeft: false},
                     'the text and the close button start at the right');
    const marks = await page.locator('#reader mark').allTextContents();
    assert.ok(marks.length >= 2 && marks.every((m) => m === q), 'the words the result marked are marked: ' + marks);
    await shot('reader-ar.png', true);

    await page.keyboard.press('Escape');
    await closedView();
    assert.equal(query().get('q'), q, 'Escape: back to the results');
    await expectFocusOn(link, 'the result read');
    assert.equal(await page.title(), q + ' — فهرس');

    await page.keyboard.press('Enter');
    await openedView(ODD);
    await page.keyboard.press('Shift+Tab');
    await expectFocused('#reader-close');
    await page.keyboard.press('Enter');
    await closedView();
    await expectFocusOn(link, 'the result read, after the close button');

    await page.keyboard.press('Enter');
    await openedView(ODD);
    await page.goBack();
    await closedView();
    await expectFocusOn(link, 'the result read, after Back');
    await page.goForward();
    await openedView(ODD);
    assert.deepEqual(await paragraphs(), expected, 'Forward opens the view again');

    await page.reload();
    await openedView(ODD);
    assert.equal(await page.locator('#reader-title').textContent(), 'مرصد القنطرة', 'a reload shows the view');
    assert.deepEqual(await paragraphs(), expected);
    assert.ok((await page.locator('#reader mark').count()) >= 2, 'its words marked as the reloaded results mark them');
    await page.locator('#reader-close').click();
    await closedView();
    assert.equal(query().get('q'), q);
    await expectFocusOn(link, 'the result read, after a reload');
  });

  test('?lang=en: an English document, left to right, at an address of its own that reloads', async () => {
    await page.goto(BASE + '/?lang=en&q=lighthouse&doc=lighthouse-en');
    await openedView('lighthouse-en');
    await expectFocused('#reader-title');
    assert.equal(await page.locator('#reader-close').textContent(), 'Back to results');
    assert.equal(await page.locator('#reader-title').textContent(), 'The lighthouse keeper');
    assert.equal(await page.title(), 'The lighthouse keeper — فهرس');
    assert.equal(await page.locator('#reader-meta').textContent(), '2023-09-14 · Coast Gazette · en');
    const expected = ['The lighthouse stands on the northern cape.\nIts lamp was lit in 1890.',
                      'Keepers lived there until 1985.', 'The lighthouse is a museum now.'];
    assert.deepEqual(await paragraphs(), expected, 'paragraphs between blank lines, also of CR LF');
    assert.equal(await page.locator('#reader-doc').getAttribute('dir'), 'ltr');
    const dirs = await page.locator('#reader-title, #reader-body p').evaluateAll((es) => es.map((e) => getComputedStyle(e).direction));
    assert.deepEqual(dirs, ['ltr', 'ltr', 'ltr', 'ltr']);
    assert.deepEqual(await layout(), {textAtRight: false, textAtLeft: true, closeAtRight: false, closeAtLeft: true},
                     'the text and the close button start at the left');
    const marks = await page.locator('#reader mark').allTextContents();
    assert.ok(marks.length >= 3 && marks.every((m) => /^lighthouse$/i.test(m)), 'the query\'s word is marked: ' + marks);
    await shot('reader-en.png', true);

    await page.reload();
    await openedView('lighthouse-en');
    assert.deepEqual(await paragraphs(), expected, 'a reload shows the view');
    await page.keyboard.press('Escape');
    await closedView();
    assert.equal(query().get('q'), 'lighthouse');
    assert.equal(query().get('lang'), 'en', 'the results, still in English');
    await expectFocusOn(hitLink('lighthouse-en'), 'its result');
  });

  test('an id with spaces, a slash, Arabic, ?, # and % opens from the address alone', async () => {
    await page.goto(BASE + '/?doc=' + encodeURIComponent(ODD));
    await openedView(ODD);
    assert.equal(await page.locator('#reader-title').textContent(), 'مرصد القنطرة');
    assert.equal((await paragraphs()).length, 3);
    assert.equal(await page.locator('#reader mark').count(), 0, 'no query, no marks');
    await page.keyboard.press('Escape');
    await closedView();
    assert.equal(new URL(page.url()).search, '', 'back to the empty page');
    await expectFocused('#q');
  });

  test('a document deleted meanwhile, or a server out of reach, is said so in the view', async (t) => {
    await page.goto(BASE + '/?lang=en&q=ephemeral');
    await waitForResults();
    execFileSync(process.env.FIHRIS_INDEXER, ['-d', process.env.FIHRIS_DB, '--delete', 'deleted-soon'], {stdio: 'ignore'});
    const link = hitLink('deleted-soon');
    await link.click();
    await openedView('deleted-soon');
    assert.equal(await page.locator('#reader-status.error').textContent(), 'This document is no longer in the index.');
    assert.equal(await page.locator('#reader-title').textContent(), 'An ephemeral notice', 'the title of its result');
    assert.equal(await page.locator('#reader-body p').count(), 0);
    await expectFocused('#reader-title');
    await page.keyboard.press('Escape');
    await closedView();
    await expectFocusOn(link, 'its result');

    const cut = (route) => route.abort('internetdisconnected');
    await page.route('**/api/doc/**', cut);
    t.after(() => page.unroute('**/api/doc/**', cut));
    await link.click();
    await openedView('deleted-soon');
    assert.equal(await page.locator('#reader-status.error').textContent(), 'Error: Cannot reach the server');
    // The browser logs the failed load itself.
    consoleErrors = consoleErrors.filter((m) => !/^Failed to load resource: net::ERR_INTERNET_DISCONNECTED/.test(m));
  });

  test('a body of megabytes is shown a chunk at a time, "show more" adding the next', async () => {
    const r = await page.request.get(BASE + '/api/doc/long-doc');
    assert.equal(r.status(), 200);
    const expected = (await r.json()).body.split('\n\n');
    assert.ok(expected.join('').length > 1000000, 'the document has over a million characters');
    await page.goto(BASE + '/?lang=en&doc=long-doc');
    await openedView('long-doc');
    const shown = () => page.locator('#reader-body').evaluate((b) => b.textContent.length);
    const first = await shown();
    assert.ok(first > 50000 && first <= 100000, 'the first chunk: ' + first + ' characters');
    const more = page.locator('#reader-more');
    assert.match(await more.textContent(), /^Show more \([1-9]% shown\)$/);
    assert.ok(!(await page.locator('#reader-body').textContent()).includes('THE END'), 'not the end yet');
    await more.scrollIntoViewIfNeeded();
    await shot('reader-more.png');
    let presses = 0, before = first;
    while (await more.isVisible()) {
      assert.ok(++presses < 30, 'at most 30 presses');
      await more.focus();
      await page.keyboard.press('Enter');
      const now = await shown();
      assert.ok(now > before && now <= before + 100000, 'a chunk more: ' + before + ' → ' + now);
      before = now;
      assert.ok(await page.evaluate(() => !!document.activeElement.closest('#reader-body')),
                'focus on the new text');
    }
    assert.ok(presses >= 10, 'shown in chunks: ' + presses + ' presses');
    const got = await paragraphs();
    assert.equal(got.length, expected.length, 'a paragraph cut between chunks stays one');
    const wrong = got.findIndex((p, i) => p !== expected[i]);
    assert.equal(wrong, -1, 'every paragraph whole and in order (first wrong: ' + wrong + ')');
    assert.equal(got.at(-1), 'THE END OF THE LONG DOCUMENT.');
  });

  test('without a language each paragraph reads in its own direction; markup in the text shows as text', async (t) => {
    const img = '<img src=x onerror="window.__pwned=1">';
    const fake = (route) => route.fulfill({json: {
      id: 'no-lang', title: 'بلا لغة ' + img, body: 'ميتا تفتح مختبرا ' + img + '\n\nMeta opens a lab <b>now</b>',
      url: 'javascript:window.__pwned=2', date: null, source: null, lang: null, extra: {}}});
    await page.route('**/api/doc/**', fake);
    t.after(() => page.unroute('**/api/doc/**', fake));
    await page.goto(BASE + '/?doc=no-lang');
    await openedView('no-lang');
    assert.equal(await page.locator('#reader-doc').getAttribute('dir'), null, 'no direction for the whole');
    const ps = await page.locator('#reader-body p').evaluateAll((ps) => ps.map((p) => [p.dir, getComputedStyle(p).direction]));
    assert.deepEqual(ps, [['auto', 'rtl'], ['auto', 'ltr']], 'each paragraph by its own letters');
    assert.equal(await page.locator('#reader-title').textContent(), 'بلا لغة ' + img);
    assert.deepEqual(await paragraphs(), ['ميتا تفتح مختبرا ' + img, 'Meta opens a lab <b>now</b>']);
    assert.equal(await page.locator('#reader-meta').textContent(), 'javascript:window.__pwned=2', 'a script URL as text');
    assert.equal(await page.evaluate(() => document.querySelectorAll('#reader img, #reader b, #reader a').length), 0,
                 'no element of the markup, no link of the URL');
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
  });

  test('a result with an http(s) URL links to it; a javascript: URL is text, and its document opens in the view', async () => {
    await page.goto(BASE + '/?q=' + encodeURIComponent('ميتا'));
    await waitForResults();
    const linked = hitLink('meta-lab-link');
    assert.equal(await linked.getAttribute('href'), 'https://news.example/meta-lab');
    assert.equal(await linked.getAttribute('target'), '_blank');
    assert.equal(await linked.getAttribute('rel'), 'noopener');
    assert.equal(await page.locator('[href^="javascript:" i]').count(), 0, 'no link to a script URL');
    const script = page.locator('#results .hit[data-id="script-url-en"]');
    assert.ok((await script.locator('.meta').textContent()).includes('javascript:alert(1)'), 'the script URL shows as text');
    const open = hitLink('script-url-en');
    assert.equal(new URL(await open.getAttribute('href'), BASE).searchParams.get('doc'), 'script-url-en',
                 'its title opens its stored text');
    let dialogs = 0;
    const count = (d) => { dialogs++; d.dismiss(); };
    page.on('dialog', count);
    await open.click();
    await openedView('script-url-en');
    page.off('dialog', count);
    assert.equal(dialogs, 0, 'no script ran');
    assert.deepEqual(await paragraphs(), ['Meta ميتا: a document whose URL is a script.']);
    assert.equal(await page.locator('#reader-doc').getAttribute('dir'), 'ltr');
    assert.equal(await page.locator('#reader-meta a').count(), 0, 'its URL is no link in the view either');
  });
});

// Each result sets its own direction (dir="auto", or that of its language),
// whatever the page's; every result in a language of WANT reads in the
// direction given, its title, passage and details alike (also an Arabic
// passage that begins with a Latin name), and each of those languages is
// among the results.
async function expectDirections(want) {
  const shown = await hits().evaluateAll((as) => as.map((a) => ({
    id: a.querySelector('.meta').textContent, lang: a.lang, dir: a.getAttribute('dir'),
    parts: [...a.querySelectorAll('h2, .snippet, .meta')].map((e) => getComputedStyle(e).direction),
  })));
  for (const r of shown) {
    assert.ok(['auto', 'rtl', 'ltr'].includes(r.dir), r.id + ': a result has its own dir, not "' + r.dir + '"');
    if (r.lang in want)
      assert.deepEqual(r.parts, Array(3).fill(want[r.lang]), r.id + ' (' + r.lang + ') reads ' + want[r.lang]);
  }
  for (const lang of Object.keys(want))
    assert.ok(shown.some((r) => r.lang === lang), 'a result in ' + lang + ' is shown');
}

async function expectFocused(selector) {
  const ok = await page.evaluate((s) => document.activeElement === document.querySelector(s), selector);
  const got = await page.evaluate(() => {
    const e = document.activeElement;
    return e ? e.tagName + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '') : 'nothing';
  });
  assert.ok(ok, 'focus on ' + selector + ', not on ' + got);
}
