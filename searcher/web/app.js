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
       close: 'العودة إلى النتائج', loading: 'جارٍ التحميل…', gone: 'لم تعد هذه الوثيقة في الفهرس.',
       more: (pct) => 'عرض المزيد (عُرض ' + pct + '٪)',
       how: {'exact': 'مطابقة تامة', 'stem': 'بالجذع', 'other spelling': 'بتهجئة أخرى',
             'other script': 'بخط آخر'}},
  en: {search: 'Search', suggestions: 'Suggestions', pages: 'Pages', didYouMean: 'Did you mean:',
       none: 'No results', count: (n) => n + (n === 1 ? ' result' : ' results'), about: 'about ',
       anyWord: ' (any of the words)', page: (p, n) => 'Page ' + p + ' of ' + n,
       prev: 'Previous', next: 'Next', error: 'Error: ', offline: 'Cannot reach the server',
       why: 'Why this result?', close: 'Back to results', loading: 'Loading…',
       gone: 'This document is no longer in the index.', more: (pct) => 'Show more (' + pct + '% shown)',
       how: {}},
};
const lang = new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'ar';
const t = text[lang];
let typing = null;      /* the pending search while typing */
let searchSeq = 0, suggestSeq = 0, inFlight = null;
let selected = -1;      /* the suggestion chosen with the arrows */
let typedSince = false; /* typing replaces the history entry it made */
let shownKey = null;    /* the query and page the results are of, or searched for */
let hitsById = new Map(); /* the results shown, by id */
let reading = null;     /* the document of the reading view, while it is open */
let docSeq = 0, docFetch = null;

async function getJSON(path, signal) {
  let r;
  try {
    r = await fetch(path, {headers: {Accept: 'application/json'}, signal});
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new Error(t.offline);
  }
  const body = await r.json().catch(() => null);
  if (!r.ok || !body) {
    const e = new Error((body && body.error) || ('HTTP ' + r.status));
    e.status = r.status;
    throw e;
  }
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

/* The page's own address for a query: ?q=&page= (and lang when English),
   and &doc= for a document in the reading view. */
function pageURL(q, page, doc) {
  const p = new URLSearchParams();
  if (q) p.set('q', q);
  if (q && page > 1) p.set('page', page);
  if (typeof doc === 'string') p.set('doc', doc);
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

function setTitle(s) {
  document.title = s ? s + ' — فهرس' : 'فهرس — Fihris';
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
  hitsById = new Map(data.hits.map((h) => [h.id, h]));
  for (const h of data.hits) {
    const art = el('article', {class: 'hit', dir: direction(h.lang)});
    art.dataset.id = h.id;
    if (isLangCode(h.lang)) art.lang = h.lang;
    const h2 = el('h2');
    /* The title links to the document's URL, or, without one that is
       http(s), opens its stored text in the reading view; a URL of another
       kind (javascript:, data: ...) is shown as text, never followed. */
    const href = h.url ? safeURL(h.url) : null;
    const title = href ? el('a', {href, rel: 'noopener', target: '_blank'}) : readerLink(h.id, q, page);
    if (h.title_marked) appendMarked(title, h.title_marked);
    else title.textContent = h.title || h.id;
    h2.append(title);
    const snippet = el('p', {class: 'snippet'});
    appendMarked(snippet, h.snippet || '');
    const meta = el('div', {class: 'meta'});
    [h.date, h.source, href ? null : h.url, h.id].filter(Boolean).forEach((v, i) => {
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

function isLangCode(lang) { /* a code (ar, en-GB), not a name (Arabic) */
  return /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i.test(lang || '');
}

/* A link to the reading view of document ID; followed in the page, or in
   a new tab, which opens the view from its address. */
function readerLink(id, q, page) {
  const a = el('a', {href: pageURL(q, page, id), class: 'open'});
  a.addEventListener('click', (e) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return; /* a new tab */
    e.preventDefault();
    openDoc(id, 'push');
  });
  return a;
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
  shownKey = q + '\n' + page;
  if (history !== 'none') closeReader(false); /* a new search from the box or a link */
  if (reading === null) setTitle(q);
  if (history === 'push' && url !== location.pathname + location.search) window.history.pushState(null, '', url);
  else if (history !== 'none') window.history.replaceState(null, '', url);
  if (!q) { clearResults(); hitsById = new Map(); $('results').removeAttribute('aria-busy'); return; }
  const ctl = inFlight = new AbortController();
  $('results').setAttribute('aria-busy', 'true');
  try {
    const data = await getJSON('/api/search?q=' + encodeURIComponent(q) + '&page=' + page + '&size=' + size, ctl.signal);
    if (seq !== searchSeq) return;
    const last = Math.min(Math.ceil(data.total / size), maxPage);
    if (data.hits.length === 0 && page > last && last >= 1) { /* past the last page */
      window.history.replaceState(window.history.state, '', pageURL(q, last, docOfURL()));
      await search(q, last, 'none', focusResults);
      return;
    }
    showHits(data, q, page);
    if (focusResults) { $('results').focus(); window.scrollTo(0, 0); }
  } catch (e) {
    if (seq !== searchSeq || e.name === 'AbortError') return;
    shownKey = null;
    hitsById = new Map();
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

/* ---- the reading view: a document's stored text, from /api/doc ---- */

/* A body of megabytes is not put into the page at once: laying out that
   much text would hold the page up for seconds, and few read that far.  The
   view shows the first CHUNK characters (cut after a line break or a space
   when one is near) and a "show more" button that adds the next CHUNK at
   each press, with the share shown.  A button rather than the rest built
   in the background: the page never does the work of text nobody asked
   for, and what is shown stays put while it is read.  (The browser's find
   sees only what is shown.) */
const CHUNK = 100000;

function docOfURL() {
  return new URLSearchParams(location.search).get('doc');
}

/* The words a hit's title and passage marked, to mark in its text. */
function markedWords(hit) {
  const words = new Set();
  for (const s of [hit && hit.title_marked, hit && hit.snippet])
    for (const m of String(s || '').matchAll(/<b>(.*?)<\/b>/g)) {
      const w = decodeEntities(m[1]).trim();
      if (w) words.add(w);
    }
  return [...words];
}

/* The words as whole words, longest first; null without any. */
function markPattern(words) {
  if (!words.length) return null;
  const alt = words.slice(0, 32).sort((a, b) => b.length - a.length)
    .map((w) => w.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')).join('|');
  return new RegExp('(?<![\\p{L}\\p{M}\\p{N}])(?:' + alt + ')(?![\\p{L}\\p{M}\\p{N}])', 'giu');
}

/* Appends TEXT to PARENT as text, with the matches of RE in <mark>. */
function appendText(parent, text, re) {
  let last = 0;
  if (re) for (const m of text.matchAll(re)) {
    if (m.index > last) parent.append(text.slice(last, m.index));
    parent.append(el('mark', {}, m[0]));
    last = m.index + m[0].length;
  }
  if (last < text.length) parent.append(text.slice(last));
}

/* Where to cut S, from FROM, to take at most BUDGET characters: after the
   last line break or space of the second half of the budget, else at the
   budget (never inside a surrogate pair).  Returns the length taken. */
function cutAt(s, from, budget) {
  const end = from + budget;
  const i = Math.max(s.lastIndexOf('\n', end - 1), s.lastIndexOf(' ', end - 1));
  if (i + 1 - from >= budget / 2) return i + 1 - from;
  const c = s.charCodeAt(end);
  return budget - (c >= 0xdc00 && c <= 0xdfff ? 1 : 0);
}

/* Adds the next CHUNK characters of the document R to the view: a <p> a
   paragraph (one cut in the middle goes on in the same <p> next time).
   Returns the first paragraph it wrote into. */
function renderChunk(r) {
  const body = $('reader-body');
  let budget = CHUNK, first = null;
  while (r.i < r.paras.length) {
    const para = r.paras[r.i], rest = para.length - r.at;
    if (rest > budget && budget < CHUNK / 4) break; /* a long paragraph begins the next chunk */
    const take = rest <= budget ? rest : cutAt(para, r.at, budget);
    let p = r.open;
    if (!p) {
      p = el('p');
      if (r.auto) p.dir = 'auto';
      body.append(p);
    }
    first = first || p;
    appendText(p, para.slice(r.at, r.at + take), r.marks);
    r.at += take;
    r.shown += take;
    budget -= take;
    if (r.at < para.length) { r.open = p; break; }
    r.i++;
    r.at = 0;
    r.open = null;
  }
  const more = $('reader-more');
  more.hidden = r.i >= r.paras.length;
  if (!more.hidden) more.textContent = t.more(Math.floor(100 * r.shown / r.total));
  return first;
}

/* Fills the view with document D: its title, date, source and language,
   and its body as text, a blank line ending a paragraph, a line break kept
   (white-space: pre-line).  It reads in the direction of its language, or,
   without one, each paragraph in that of its first strong letter. */
function showDoc(d, hit) {
  const dir = direction(d.lang), doc = $('reader-doc');
  if (dir === 'auto') doc.removeAttribute('dir'); else doc.dir = dir;
  if (isLangCode(d.lang)) doc.lang = d.lang; else doc.removeAttribute('lang');
  const marks = markPattern(markedWords(hit));
  const title = $('reader-title');
  title.replaceChildren();
  appendText(title, d.title || d.id, marks);
  title.dir = dir;
  setTitle(d.title || d.id);
  const meta = $('reader-meta');
  meta.replaceChildren();
  const href = d.url ? safeURL(d.url) : null;
  [d.date, d.source, d.lang, d.url].filter(Boolean).forEach((v, i) => {
    if (i) meta.append(' · ');
    meta.append(v === d.url && href ? el('a', {href, rel: 'noopener', target: '_blank'}, v) : el('bdi', {}, v));
  });
  const paras = String(d.body || '').replace(/\r\n?/g, '\n').trim().split(/\n[^\S\n]*\n\s*/)
    .filter((p) => p.trim() !== '');
  reading = Object.assign(reading, {paras, i: 0, at: 0, open: null, shown: 0, marks, auto: dir === 'auto',
                                    total: paras.reduce((n, p) => n + p.length, 0)});
  $('reader-status').textContent = '';
  renderChunk(reading);
}

/* Opens the reading view of document ID (history: 'push' a new entry, or
   'none' when the address already says so), with the results of the
   search SEARCHING, if any, to mark its words as they did. */
async function openDoc(id, history, searching) {
  const seq = ++docSeq;
  if (docFetch) docFetch.abort();
  if (history === 'push') {
    const params = new URLSearchParams(location.search);
    window.history.pushState({doc: id}, '', pageURL(params.get('q') || '', pageOf(params), id));
  }
  const hit = hitsById.get(id);
  reading = {id};
  $('listing').hidden = true;
  $('reader').hidden = false;
  $('reader-doc').removeAttribute('dir');
  $('reader-title').textContent = (hit && hit.title) || id;
  $('reader-title').dir = 'auto';
  $('reader-meta').replaceChildren();
  $('reader-body').replaceChildren();
  $('reader-more').hidden = true;
  $('reader-status').textContent = t.loading;
  $('reader-status').classList.remove('error');
  $('reader').setAttribute('aria-busy', 'true');
  setTitle((hit && hit.title) || id);
  window.scrollTo(0, 0);
  $('reader-title').focus();
  const ctl = docFetch = new AbortController();
  try {
    /* The id may hold any character: one path segment, all escaped */
    const [d] = await Promise.all([getJSON('/api/doc/' + encodeURIComponent(id), ctl.signal),
                                   searching && searching.catch(() => {})]);
    if (seq !== docSeq) return;
    showDoc(d, hitsById.get(id));
  } catch (e) {
    if (seq !== docSeq || e.name === 'AbortError') return;
    $('reader-status').textContent = e.status === 404 ? t.gone : t.error + e.message;
    $('reader-status').classList.add('error');
  } finally {
    if (seq === docSeq) { $('reader').removeAttribute('aria-busy'); docFetch = null; }
  }
}

/* Closes the view and shows the results again; FOCUSBACK: on the result of
   the document read, if it is shown. */
function closeReader(focusBack) {
  if ($('reader').hidden) return;
  ++docSeq;
  if (docFetch) docFetch.abort();
  docFetch = null;
  const id = reading && reading.id;
  reading = null;
  $('reader').hidden = true;
  $('reader').removeAttribute('aria-busy');
  $('reader-body').replaceChildren();
  $('listing').hidden = false;
  setTitle(new URLSearchParams(location.search).get('q') || '');
  if (!focusBack) return;
  const hit = [...$('results').querySelectorAll('.hit')].find((a) => a.dataset.id === id);
  if (hit) hit.querySelector('h2 a').focus();
  else if ($('results').childElementCount) $('results').focus();
  else $('q').focus();
}

/* The close button and Escape: back to the results' entry when the view
   has its own (Back does the same), else the same entry without doc=. */
function leaveReader() {
  const params = new URLSearchParams(location.search);
  if (window.history.state && window.history.state.doc === params.get('doc')) {
    window.history.back(); /* popstate closes the view */
    return;
  }
  window.history.replaceState(null, '', pageURL(params.get('q') || '', pageOf(params)));
  closeReader(true);
}

function pageOf(params) {
  return Math.min(Math.max(parseInt(params.get('page'), 10) || 1, 1), maxPage);
}

/* Shows what the address asks for: ?q=&page=, and &doc= for the reading
   view.  Results already shown for the query and page are kept (leaving the
   view shows them as they were, its result focused). */
function fromURL() {
  const params = new URLSearchParams(location.search);
  const q = params.get('q') || '', page = pageOf(params), doc = params.get('doc');
  clearTimeout(typing);
  showSuggestions([]);
  $('q').value = q;
  typedSince = false;
  const searching = shownKey === q + '\n' + page ? null : search(q, page, 'none');
  if (doc === null) closeReader(true);
  else if (!reading || reading.id !== doc) openDoc(doc, 'none', searching);
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

$('reader-close').addEventListener('click', leaveReader);

$('reader-more').addEventListener('click', () => {
  /* focus goes to the paragraph the new text begins in; nothing scrolls */
  const first = renderChunk(reading);
  first.tabIndex = -1;
  first.focus({preventScroll: true});
});

document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && !$('reader').hidden && !e.defaultPrevented && e.target !== $('q')) {
    e.preventDefault();
    leaveReader();
  }
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
  $('reader-close').textContent = t.close;
}
fromURL();
