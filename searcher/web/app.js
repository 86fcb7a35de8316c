/* app.js - the search page's script (index.html), served at /app.js: the
   page's Content-Security-Policy runs no inline script, so every handler is
   added here, and every node it shows is built as a node, never from HTML. */
'use strict';
const $ = (id) => document.getElementById(id);
const size = 10, maxPage = 1000; /* searchd serves pages 1 to 1000 */
const text = {
  ar: {search: 'ابحث', suggestions: 'اقتراحات', pages: 'الصفحات', didYouMean: 'هل تقصد:',
       none: 'لا نتائج', count: (n) => 'عدد النتائج: ' + n, about: 'حوالي ', anyWord: ' (بأي من الكلمات)',
       page: (p, n) => 'صفحة ' + p + ' من ' + n, prev: 'السابق', next: 'التالي',
       error: 'خطأ: ', offline: 'تعذّر الاتصال بالخادم', why: 'لماذا هذه النتيجة؟',
       how: {'exact': 'مطابقة تامة', 'stem': 'بالجذع', 'other spelling': 'بتهجئة أخرى',
             'other script': 'بخط آخر'}},
  en: {search: 'Search', suggestions: 'Suggestions', pages: 'Pages', didYouMean: 'Did you mean:',
       none: 'No results', count: (n) => n + (n === 1 ? ' result' : ' results'), about: 'about ',
       anyWord: ' (any of the words)', page: (p, n) => 'Page ' + p + ' of ' + n,
       prev: 'Previous', next: 'Next', error: 'Error: ', offline: 'Cannot reach the server',
       why: 'Why this result?', how: {}},
};
const lang = new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'ar';
const t = text[lang];
let typing = null;      /* the pending search while typing */
let searchSeq = 0, suggestSeq = 0, inFlight = null;
let selected = -1;      /* the suggestion chosen with the arrows */
let typedSince = false; /* typing replaces the history entry it made */

async function getJSON(path, signal) {
  let r;
  try {
    r = await fetch(path, {headers: {Accept: 'application/json'}, signal});
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new Error(t.offline);
  }
  const body = await r.json().catch(() => null);
  if (!r.ok || !body) throw new Error((body && body.error) || ('HTTP ' + r.status));
  return body;
}

function el(tag, attrs, content) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (content !== undefined) e.textContent = content;
  return e;
}

/* The five entities the server writes, and numeric ones; any other is text. */
const entities = {amp: '&', lt: '<', gt: '>', quot: '"', apos: "'"};
function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]+);/gi, (m, e) => {
    if (e[0] !== '#') return Object.hasOwn(entities, e) ? entities[e] : m;
    const n = /^#x/i.test(e) ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return n > 0 && n <= 0x10ffff && (n < 0xd800 || n > 0xdfff) ? String.fromCodePoint(n) : m;
  });
}

/* Appends a marked string of the server (its text HTML-escaped, matches
   between <b> and </b>) to parent: <b> and </b> become a <b> element, all
   else, its entities decoded, text. Markup in a document shows as what it
   is, whatever the escaping did; no HTML is ever parsed. */
function appendMarked(parent, marked) {
  let into = parent;
  for (const part of String(marked).split(/(<\/?b>)/)) {
    if (part === '<b>') {
      if (into === parent) parent.append(into = el('b'));
    } else if (part === '</b>') {
      into = parent;
    } else if (part) {
      into.append(decodeEntities(part));
    }
  }
}

/* The page's own address for a query: ?q=&page= (and lang when English). */
function pageURL(q, page) {
  const p = new URLSearchParams();
  if (q) p.set('q', q);
  if (q && page > 1) p.set('page', page);
  if (lang === 'en') p.set('lang', 'en');
  const s = p.toString();
  return location.pathname + (s ? '?' + s : '');
}

/* A document's url as a link target: http and https only, never script. */
function safeURL(url) {
  try {
    const u = new URL(url, location.href);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch (e) { return null; }
}

function showStatus(message, isError) {
  $('status').textContent = message;
  $('status').classList.toggle('error', !!isError);
}

function clearResults() {
  $('results').replaceChildren();
  $('pages').replaceChildren();
  $('didyoumean').hidden = true;
  showStatus('');
}

/* A result reads in the direction of its language, which searchd gives
   (the document's, as a code or a name, else the one its text is written
   in): the first strong letter, which dir="auto" goes by, misleads for an
   Arabic passage that begins with a Latin name. Without one, dir="auto". */
const rtlLanguages = /^(ar|arc|ckb|dv|fa|he|iw|ps|sd|syr|ug|ur|yi|arabic|farsi|hebrew|pashto|persian|sindhi|syriac|urdu|uyghur|yiddish)(-|$)/i;
function direction(lang) {
  return !lang ? 'auto' : rtlLanguages.test(lang) ? 'rtl' : 'ltr';
}

function showHits(data, q, page) {
  const results = $('results');
  results.replaceChildren();
  for (const h of data.hits) {
    const art = el('article', {class: 'hit', dir: direction(h.lang)});
    if (/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i.test(h.lang || '')) art.lang = h.lang; /* a code, not a name */
    const h2 = el('h2');
    const href = h.url ? safeURL(h.url) : null;
    const title = href ? el('a', {href, rel: 'noopener', target: '_blank'}) : el('span');
    if (h.title_marked) appendMarked(title, h.title_marked);
    else title.textContent = h.title || h.id;
    h2.append(title);
    const snippet = el('p', {class: 'snippet'});
    appendMarked(snippet, h.snippet || '');
    const meta = el('div', {class: 'meta'});
    [h.date, h.source, h.id].filter(Boolean).forEach((v, i) => {
      if (i) meta.append(' · ');
      meta.append(el('bdi', {}, v));
    });
    art.append(h2, snippet, meta, whyDetails(h.id, q, page));
    results.append(art);
  }
  const total = data.total;
  showStatus(total === 0 ? t.none :
    t.count((data.total_exact ? '' : t.about) + total) + (data.fallback ? t.anyWord : ''));
  $('didyoumean').hidden = !data.suggestion;
  $('suggestion').textContent = data.suggestion || '';
  $('suggestion').href = data.suggestion ? pageURL(data.suggestion, 1) : '';
  const pages = $('pages');
  pages.replaceChildren();
  const last = Math.min(Math.ceil(total / size), maxPage);
  if (last > 1) pages.append(pageLink(t.prev, 'prev', q, page - 1, page > 1),
                             el('span', {'aria-current': 'page'}, t.page(page, last)),
                             pageLink(t.next, 'next', q, page + 1, page < last));
}

/* "Why this result?": opened, it asks searchd to explain the page (once)
   and lists, for each query word, how it met this document and its share
   of the score. */
function whyDetails(id, q, page) {
  const details = el('details', {class: 'why'});
  details.append(el('summary', {}, t.why));
  details.addEventListener('toggle', async () => {
    if (!details.open || details.dataset.filled) return;
    details.dataset.filled = '1';
    const list = el('ul');
    details.append(list);
    try {
      const data = await getJSON('/api/search?q=' + encodeURIComponent(q) + '&page=' + page +
                                 '&size=' + size + '&explain=1');
      const hit = data.hits.find((h) => h.id === id);
      for (const w of (hit && hit.why) || []) {
        const li = el('li');
        li.append(el('bdi', {}, w.word), ': ' + (Object.hasOwn(t.how, w.how) ? t.how[w.how] : w.how) + ' (',
                  el('bdi', {}, w.terms), ') +' + w.weight.toFixed(2));
        list.append(li);
      }
    } catch (e) {
      list.append(el('li', {class: 'error'}, t.error + e.message));
    }
  });
  return details;
}

function pageLink(label, rel, q, page, enabled) {
  if (!enabled) return el('span', {class: 'off ' + rel, 'aria-disabled': 'true'}, label);
  const a = el('a', {href: pageURL(q, page), rel, class: rel}, label);
  a.addEventListener('click', (e) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return; /* a new tab */
    e.preventDefault();
    search(q, page, 'push', true);
  });
  return a;
}

/* Searches and shows the answer unless a newer search began meanwhile.
   history: 'push' a new entry, 'replace' the current one, or 'none'. */
async function search(q, page = 1, history = 'push', focusResults = false) {
  q = q.trim();
  const seq = ++searchSeq;
  if (inFlight) inFlight.abort();
  inFlight = null;
  const url = pageURL(q, page);
  document.title = q ? q + ' — فهرس' : 'فهرس — Fihris';
  if (history === 'push' && url !== location.pathname + location.search) window.history.pushState(null, '', url);
  else if (history !== 'none') window.history.replaceState(null, '', url);
  if (!q) { clearResults(); $('results').removeAttribute('aria-busy'); return; }
  const ctl = inFlight = new AbortController();
  $('results').setAttribute('aria-busy', 'true');
  try {
    const data = await getJSON('/api/search?q=' + encodeURIComponent(q) + '&page=' + page + '&size=' + size, ctl.signal);
    if (seq !== searchSeq) return;
    const last = Math.min(Math.ceil(data.total / size), maxPage);
    if (data.hits.length === 0 && page > last && last >= 1) { /* past the last page */
      search(q, last, 'replace', focusResults);
      return;
    }
    showHits(data, q, page);
    if (focusResults) { $('results').focus(); window.scrollTo(0, 0); }
  } catch (e) {
    if (seq !== searchSeq || e.name === 'AbortError') return;
    $('results').replaceChildren();
    $('pages').replaceChildren();
    $('didyoumean').hidden = true;
    showStatus(t.error + e.message, true);
  } finally {
    if (seq === searchSeq) { $('results').removeAttribute('aria-busy'); inFlight = null; }
  }
}

function showSuggestions(words) {
  const list = $('suggestions'), q = $('q');
  list.replaceChildren();
  selected = -1;
  q.removeAttribute('aria-activedescendant');
  words.forEach((w, i) => {
    const li = el('li', {role: 'option', id: 'sugg-' + i, dir: 'auto', 'aria-selected': 'false'}, w);
    li.addEventListener('mousedown', (e) => { e.preventDefault(); complete(w); });
    list.append(li);
  });
  list.hidden = words.length === 0;
  q.setAttribute('aria-expanded', words.length ? 'true' : 'false');
}

async function suggest(q) {
  const seq = ++suggestSeq;
  const last = q.match(/\S*$/)[0];
  if (!last) { showSuggestions([]); return; }
  try {
    const data = await getJSON('/api/suggest?q=' + encodeURIComponent(q));
    if (seq === suggestSeq && $('q').value === q && document.activeElement === $('q'))
      showSuggestions(data.suggestions.filter((w) => w !== last.toLowerCase()));
  } catch (e) {
    if (seq === suggestSeq) showSuggestions([]);
  }
}

function complete(word) {
  const q = $('q');
  clearTimeout(typing);
  ++suggestSeq;
  q.value = q.value.replace(/\S*$/, word) + ' ';
  showSuggestions([]);
  q.focus();
  typedSince = false;
  search(q.value);
}

function moveSelection(step) {
  const items = $('suggestions').children;
  if (!items.length) return false;
  if (selected >= 0) items[selected].setAttribute('aria-selected', 'false');
  selected = (selected + step + items.length) % items.length;
  items[selected].setAttribute('aria-selected', 'true');
  $('q').setAttribute('aria-activedescendant', items[selected].id);
  return true;
}

/* Shows what the address asks for: ?q=&page= */
function fromURL() {
  const params = new URLSearchParams(location.search);
  const q = params.get('q') || '';
  const page = Math.min(Math.max(parseInt(params.get('page'), 10) || 1, 1), maxPage);
  clearTimeout(typing);
  showSuggestions([]);
  $('q').value = q;
  typedSince = false;
  search(q, page, 'none');
}

$('q').addEventListener('input', () => {
  clearTimeout(typing);
  const q = $('q').value;
  typing = setTimeout(() => {
    /* The first search typed after a chosen one gets its own history entry;
       the ones typed after it replace that entry. */
    search(q, 1, typedSince ? 'replace' : 'push');
    typedSince = true;
    suggest(q);
  }, 120);
});

$('q').addEventListener('keydown', (e) => {
  const open = !$('suggestions').hidden;
  if (e.key === 'ArrowDown' && moveSelection(1)) e.preventDefault();
  else if (e.key === 'ArrowUp' && moveSelection(-1)) e.preventDefault();
  else if (e.key === 'Escape' && open) { e.preventDefault(); ++suggestSeq; showSuggestions([]); }
  else if (e.key === 'Enter' && open && selected >= 0) {
    e.preventDefault();
    complete($('suggestions').children[selected].textContent);
  }
});

$('q').addEventListener('blur', () => { ++suggestSeq; showSuggestions([]); });

$('form').addEventListener('submit', (e) => {
  e.preventDefault();
  clearTimeout(typing);
  ++suggestSeq;
  showSuggestions([]);
  typedSince = false;
  search($('q').value);
});

$('suggestion').addEventListener('click', (e) => {
  if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
  e.preventDefault();
  $('q').value = $('suggestion').textContent;
  $('q').focus();
  typedSince = false;
  search($('q').value);
});

window.addEventListener('popstate', fromURL);

if (lang === 'en') {
  document.documentElement.lang = 'en';
  document.documentElement.dir = 'ltr';
  $('q-label').textContent = $('go').textContent = t.search;
  $('suggestions').setAttribute('aria-label', t.suggestions);
  $('pages').setAttribute('aria-label', t.pages);
  $('dym-label').textContent = t.didYouMean;
}
fromURL();
