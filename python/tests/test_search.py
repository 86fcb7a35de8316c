"""test_search.py - fihris.Searcher: Arabic and English queries, the hits'
fields, explanations, facets, sorting by date, names across scripts on
corpus/, suggestions, stored documents, completions, errors, every hit of
a query past one page, pandas, threads."""

import threading

import pytest

import fihris
from conftest import MANY, generated


def test_arabic_and_english(news):
    with fihris.Searcher(news) as searcher:
        result = searcher.search("الباحثون")  # والباحثين, as written, is another form
        assert [h.id for h in result] == ["meta-ar"]
        result = searcher.search("researcher OR الباحث")
        assert sorted(h.id for h in result) == ["meta-ar", "openai-en", "tesla-en"]
        assert (result.total, result.exact, len(result)) == (3, True, 3)
        assert [h.rank for h in result] == [1, 2, 3]
        assert result[0].score >= result[1].score >= result[2].score > 0
        result = searcher.search("غوغل عربي")  # العربية
        assert [h.id for h in result] == ["google-ar"] and not result.matched_any


def test_hit_fields_and_marks(news):
    with fihris.Searcher(news) as searcher:
        hit = searcher.search("زوكربيرغ")[0]
        assert hit == fihris.Hit(
            rank=1, id="meta-ar", score=hit.score, title="ميتا وScale AI",
            title_marked="ميتا وScale AI",
            snippet=hit.snippet, url="https://example.org/meta-ar", date="2025-06-12",
            source="Reuters", lang="ar")
        assert "**زوكربيرغ**" in hit.snippet
        html = searcher.search("Tesla", marks="html")[0]
        assert "<b>Tesla</b>" in html.snippet and html.title_marked == "<b>Tesla</b> robotaxi"
        assert "**" not in searcher.search("Tesla", marks="none")[0].snippet
        bare = searcher.search("Tesla", snippets=False)[0]
        assert (bare.id, bare.rank, bare.title, bare.snippet) == ("tesla-en", 1, None, None)


def test_explain_and_facets(news):
    with fihris.Searcher(news) as searcher:
        result = searcher.search("researchers OR الباحثين", explain=True, facets=True)
        assert result.words == ["researchers", "الباحثين"]
        for hit in result:
            assert hit.why and all(y.word in result.words for y in hit.why)
            assert abs(sum(y.weight for y in hit.why) - hit.score) < 1e-6 * hit.score
            assert {y.how for y in hit.why} <= {"exact", "stem", "other spelling", "other script"}
        assert result.facets == {"source": {"Reuters": 2, "AP": 1},
                                 "lang": {"ar": 1, "en": 2},
                                 "year": {"2025": 2, "2024": 1}}
        plain = searcher.search("researchers")
        assert plain.facets is None and plain.words is None and plain[0].why is None


def test_sort_by_date(news):
    with fihris.Searcher(news) as searcher:
        dates = [h.date for h in searcher.search("researchers OR الباحثين", sort="date")]
        assert dates == ["2025-08", "2025-06-12", "2024"]
        with pytest.raises(fihris.Invalid, match="sort"):
            searcher.search("researchers", sort="newest")


def test_any_word_fallback_and_suggestion(news):
    with fihris.Searcher(news) as searcher:
        result = searcher.search("robotaxi walrus")
        assert result.matched_any and [h.id for h in result] == ["tesla-en"]
        assert not searcher.search("robotaxi").matched_any
        assert searcher.search("robotaxu").suggestion == "robotaxi"
        assert searcher.search("غوغك").suggestion == "غوغل"
        assert searcher.search("robotaxi").suggestion is None


def corpus_ids(searcher, query, **options):
    return [h.id[:3] for h in searcher.search(query, **options)]


def test_names_across_scripts(corpus):
    with fihris.Searcher(corpus) as searcher:
        # No article writes Zuckerberg in Latin letters: all say زوكربيرغ or زوكربيرج.
        assert all("zuckerberg" not in searcher.document(h.id)["body"].lower()
                   for h in searcher.search("زوكربيرغ OR زوكربيرج"))
        everyone = ["000", "001", "002", "003", "004"]
        assert sorted(corpus_ids(searcher, "Zuckerberg")) == everyone
        assert sorted(corpus_ids(searcher, "زوكربرج")) == everyone
        assert sorted(corpus_ids(searcher, "مارك زاكربيرج")) == everyone
        assert corpus_ids(searcher, "Zuckerberg", names=False) == []
        # the article's own spelling ranks first
        assert sorted(corpus_ids(searcher, "زوكربيرج")[:2]) == ["003", "004"]
        assert sorted(corpus_ids(searcher, "Tulloch")[:2]) == ["000", "001"]
        assert corpus_ids(searcher, "تولوش")[0] == "000"
        why = searcher.search("Zuckerberg", explain=True)[0].why
        assert "other script" in {y.how for y in why}


def test_document(news):
    with fihris.Searcher(news) as searcher:
        doc = searcher.document("openai-en")
        assert doc == {"id": "openai-en", "title": "OpenAI hires researchers",
                       "body": "OpenAI released a new model and hired researchers from Google.",
                       "date": "2025-08", "source": "Reuters", "lang": "en"}
        assert searcher.document("no-such-id") is None
        with pytest.raises(fihris.Invalid, match="NUL"):
            searcher.document("openai-en\0")


def test_complete(news):
    with fihris.Searcher(news) as searcher:
        assert searcher.complete("Open") == ["openai"]
        assert searcher.complete("new rob") == ["robotaxi"]
        assert "زوكربيرغ" in searcher.complete("Zucker")
        assert searcher.complete("qqq") == []
        words = searcher.complete("r", n=2)
        assert len(words) == 2 and all(w.startswith("r") for w in words)
        assert searcher.complete("r", n=0) == []
        with pytest.raises(fihris.Invalid):
            searcher.complete("r", n=-1)


def test_errors(tmp_path, news):
    with pytest.raises(fihris.NotFound) as raised:
        fihris.Searcher(tmp_path / "no-such-db")
    assert raised.value.status == "not found" and "no-such-db" in str(raised.value)
    assert isinstance(raised.value, fihris.Error)
    with fihris.Searcher(news) as searcher:
        for query, message in [("-tesla", "the query only excludes"),
                               ("date:soon tesla", "date:soon is not a date"),
                               ("x" * 10001, "query too long (10001 bytes, limit 10000)")]:
            with pytest.raises(fihris.Invalid) as raised:
                searcher.search(query)
            assert message in str(raised.value)
            assert isinstance(raised.value, ValueError)
        with pytest.raises(fihris.Invalid, match="n must be from 0 to 1000, not 1001: iter_hits"):
            searcher.search("tesla", n=1001)
        with pytest.raises(fihris.Invalid, match="offset"):
            searcher.search("tesla", offset=-1)
        with pytest.raises(fihris.Invalid, match="offset must be from 0 to 4000000000"):
            searcher.search("tesla", offset=fihris.MAX_OFFSET + 1)
        with pytest.raises(fihris.Invalid, match="snippet_words must be from 0 to 1000"):
            searcher.search("tesla", snippet_words=1001)
        with pytest.raises(fihris.Invalid, match="time_limit_ms"):
            searcher.search("tesla", time_limit_ms=-1)
        with pytest.raises(fihris.Invalid, match="n must be from 0 to 20000"):
            searcher.complete("tes", n=20001)
        with pytest.raises(fihris.Invalid, match="the query is int"):
            searcher.search(5)
        with pytest.raises(fihris.Invalid, match="marks"):
            searcher.search("tesla", marks="bold")
    with pytest.raises(fihris.Invalid, match="the Searcher is closed"):
        searcher.search("tesla")


def test_pages(many):
    with fihris.Searcher(many) as searcher:
        whole = searcher.search("everyword", n=0)
        assert (whole.total, whole.exact, len(whole)) == (MANY, True, 0)
        last = searcher.search("everyword", n=5, offset=MANY - 2)
        assert [h.rank for h in last] == [MANY - 1, MANY]
        assert len(searcher.search("everyword", n=5, offset=fihris.MAX_OFFSET)) == 0


def test_iter_hits_past_one_page(many):
    with fihris.Searcher(many) as searcher:
        hits = searcher.iter_hits("everyword")
        assert (hits.total, hits.exact) == (MANY, True)
        hits = list(hits)
        assert MANY > fihris.MAX_COUNT
        assert [h.rank for h in hits] == list(range(1, MANY + 1))
        assert sorted(h.id for h in hits) == sorted(d["id"] for d in generated(MANY))
        by_date = [h.date for h in searcher.iter_hits("everyword", sort="date", batch=999)]
        assert len(by_date) == MANY and by_date == sorted(by_date, reverse=True)
        # a small batch, a query matching some: every match once
        some = searcher.search("w17", n=0)
        assert some.exact and 7 < some.total < 100
        small = [h.id for h in searcher.iter_hits("w17", batch=7)]
        assert len(small) == len(set(small)) == some.total
        assert list(searcher.iter_hits("nonexistentword")) == []
        with pytest.raises(fihris.Invalid, match="the query only excludes"):
            searcher.iter_hits("-everyword")
        with pytest.raises(fihris.Invalid, match="batch"):
            searcher.iter_hits("everyword", batch=1001)
        with pytest.raises(fihris.Invalid, match="batch"):
            searcher.iter_hits("everyword", batch=0)


def test_to_pandas(news, many):
    pandas = pytest.importorskip("pandas")
    with fihris.Searcher(news) as searcher:
        frame = searcher.search("researchers").to_pandas()
        assert isinstance(frame, pandas.DataFrame)
        assert list(frame.columns) == list(fihris.COLUMNS) and len(frame) == 3
    with fihris.Searcher(many) as searcher:
        assert len(searcher.iter_hits("everyword").to_pandas()) == MANY


def test_to_pandas_without_pandas(news, monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas fails
    with fihris.Searcher(news) as searcher:
        with pytest.raises(ImportError, match="to_pandas needs pandas"):
            searcher.search("researchers").to_pandas()


def test_to_pandas_rows_and_columns(news, monkeypatch):
    """What to_pandas hands pandas.DataFrame, with a stand-in for pandas."""
    import sys
    import types
    stand_in = types.ModuleType("pandas")
    stand_in.DataFrame = lambda rows, columns: (rows, columns)
    monkeypatch.setitem(sys.modules, "pandas", stand_in)
    with fihris.Searcher(news) as searcher:
        result = searcher.search("researchers OR الباحثين")
        rows, columns = result.to_pandas()
        assert columns == list(fihris.COLUMNS)
        assert rows == [[getattr(h, c) for c in fihris.COLUMNS] for h in result]
        rows, columns = searcher.search("tesla", explain=True).to_pandas()
        assert columns == list(fihris.COLUMNS) + ["why"] and rows[0][-1][0].word == "tesla"
        hits = searcher.iter_hits("researchers OR الباحثين", batch=2)
        next(hits)
        rows, columns = hits.to_pandas()  # the hits not read yet
        assert [row[0] for row in rows] == [2, 3]


def test_one_searcher_shared_by_threads(many):
    """Calls from several threads wait for each other: each gets its own answers."""
    answers = {}
    with fihris.Searcher(many) as searcher:
        def run(word):
            answers[word] = [[h.id for h in searcher.search(word, n=50)] for _ in range(20)]
        threads = [threading.Thread(target=run, args=("w%d" % k,)) for k in (17, 100, 2500)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for word, runs in answers.items():
            assert runs == [[h.id for h in searcher.search(word, n=50)]] * 20
    assert len(answers) == 3
