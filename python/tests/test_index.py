"""test_index.py - fihris.Index: adding (counts, replacing, leaving alone),
documents refused with the reason and their position, read as the indexer
reads a JSONL line (extra fields kept and read back equal, as those of a
file the indexer read; over 64 KB of them dropped with a warning; ISO 8601
dates), deleting, what a commit makes visible and what close() and the
context manager do with what is pending, the lock one writer holds."""

import datetime
import json
import subprocess

import pytest

import fihris
from conftest import NEWS


def ids(db, query, **options):
    with fihris.Searcher(db) as searcher:
        return sorted(hit.id for hit in searcher.search(query, n=100, **options))


def test_add_counts_added_replaced_unchanged(tmp_path):
    with fihris.Index(tmp_path / "db") as index:
        assert index.add(NEWS) == fihris.AddResult(added=4, replaced=0, unchanged=0, failed=[])
    with fihris.Index(tmp_path / "db") as index:
        changed = dict(NEWS[0], body="نص آخر تماما")
        result = index.add([changed, NEWS[1]])
        assert (result.added, result.replaced, result.unchanged) == (0, 1, 1)
        assert index.counts == {"added": 0, "replaced": 1, "unchanged": 1, "deleted": 0,
                                "dropped_terms": 0}
    assert ids(tmp_path / "db", "آخر") == ["meta-ar"]
    assert ids(tmp_path / "db", "زوكربيرغ") == []


def test_add_one_dict_and_a_generator(tmp_path):
    with fihris.Index(tmp_path / "db") as index:
        assert index.add({"id": "one", "body": "a single walrus"}).added == 1
        assert index.add(d for d in NEWS).added == 4
    assert ids(tmp_path / "db", "walrus") == ["one"]


def test_fields_come_back_as_given(tmp_path):
    doc = {"id": "d1", "title": "Walruses", "body": "Walruses live in the Arctic.",
           "url": "https://example.org/w", "date": datetime.date(2024, 3, 5), "source": "AP",
           "lang": "en"}
    with fihris.Index(tmp_path / "db") as index:
        index.add([doc, {"id": "d2", "body": "no other field", "title": "", "url": None}])
    with fihris.Searcher(tmp_path / "db") as searcher:
        assert searcher.document("d1") == dict(doc, date="2024-03-05")
        # a field absent, None or "" is left out; the language is detected
        assert searcher.document("d2") == {"id": "d2", "body": "no other field", "lang": "en"}
        hit = searcher.search("walruses")[0]
    assert (hit.id, hit.title, hit.url, hit.date, hit.source, hit.lang) == \
        ("d1", "Walruses", "https://example.org/w", "2024-03-05", "AP", "en")


BAD = [
    ({"id": "b", "title": "no body"}, 'document "b": missing string field "body"'),
    ({"body": "no id"}, 'missing string field "id"'),
    ({"id": "", "body": "x"}, 'field "id" is empty'),
    ({"id": "b", "body": "x", "date": 2025}, 'field "date" is int, not a string'),
    ({"id": 7, "body": "x"}, 'field "id" is int, not a string'),
    ({"id": "b", "body": "x", "title": ["t"]}, 'field "title" is list, not a string'),
    ({"id": "b", "body": "a\0b"}, 'document "b": field "body" holds a NUL character'),
    ({"id": "b", "body": "x", "note": {"k": ["\0"]}}, 'field "note" holds a NUL character'),
    ({"id": "b", "body": "\udc80"}, 'field "body" is not valid Unicode'),
    ({"id": "b", "body": "x", "score": float("nan")}, 'field "score" holds NaN or an infinity'),
    ({"id": "b", "body": "x", "score": float("-inf")}, 'field "score" holds NaN or an infinity'),
    ({"id": "b", "body": "x", "seen": {1, 2}},
     'field "seen" cannot be written as JSON: Object of type set is not JSON serializable'),
    ({"id": "b", "body": "x", "n": {"k": [2 ** 63]}},
     'field "n" holds an integer that does not fit in 64 bits'),
    ({"id": "b", "body": "x", 3: "three"}, "a field's name is a string, not int (3)"),
    ({"id": "b", "body": "x", "\udc80": 1}, 'field "\\udc80" is not valid Unicode'),
    (["id", "b"], "a document is a dict of fields, not list"),
]


@pytest.mark.parametrize("doc, message", BAD)
def test_bad_document_raises_with_its_position(tmp_path, doc, message):
    with fihris.Index(tmp_path / "db") as index:
        with pytest.raises(fihris.Invalid) as raised:
            index.add([NEWS[0], doc, NEWS[1]])
        assert message in str(raised.value)
        assert "(at position 1)" in str(raised.value)
        assert raised.value.position == 1
        assert raised.value.id == (doc.get("id") if isinstance(doc, dict) else None)
        assert raised.value.status == "invalid input"
        # the documents before it are added, those after it are not
        assert index.counts["added"] == 1
    assert ids(tmp_path / "db", "زوكربيرغ") == ["meta-ar"]
    assert ids(tmp_path / "db", "OpenAI") == []


def test_bad_documents_skipped_are_reported(tmp_path):
    docs = [NEWS[0]] + [doc for doc, _ in BAD] + [NEWS[1]]
    with fihris.Index(tmp_path / "db") as index:
        result = index.add(docs, on_error="skip")
    assert result.added == 2
    assert [f.position for f in result.failed] == list(range(1, len(BAD) + 1))
    for failure, (doc, message) in zip(result.failed, BAD):
        assert message in failure.message
        assert failure.id == (doc.get("id") if isinstance(doc, dict) else None)
    assert ids(tmp_path / "db", "OpenAI") == ["openai-en"]


def test_add_refuses_a_string_and_an_unknown_mode(tmp_path):
    with fihris.Index(tmp_path / "db") as index:
        with pytest.raises(fihris.Invalid, match="not a string"):
            index.add('{"id": "x", "body": "y"}')
        with pytest.raises(fihris.Invalid, match="on_error"):
            index.add(NEWS, on_error="ignore")
        assert index.counts["added"] == 0


def test_delete(news):
    with fihris.Index(news) as index:
        assert index.delete(["openai-en", "no-such-id"]) == 1
        assert index.delete("tesla-en") == 1
        assert index.delete("tesla-en") == 0
        with pytest.raises(fihris.Invalid, match="no id to delete"):
            index.delete([""])
        assert index.counts["deleted"] == 2
    assert ids(news, "researchers OR الباحثين") == ["meta-ar"]
    with fihris.Searcher(news) as searcher:
        assert searcher.document("openai-en") is None
        assert searcher.doc_count() == 2


def test_commit_makes_documents_visible(tmp_path):
    db = tmp_path / "db"
    index = fihris.Index(db)
    index.add(NEWS[:1])
    index.commit()
    with fihris.Searcher(db) as searcher:
        index.add(NEWS[1:])
        assert searcher.doc_count() == 1
        index.commit()
        assert searcher.doc_count() == 1  # as of its opening ...
        searcher.refresh()
        assert searcher.doc_count() == 4  # ... until it catches up
    index.close()


def test_close_does_not_commit(tmp_path):
    db = tmp_path / "db"
    index = fihris.Index(db)
    index.add(NEWS[:1])
    index.commit()
    index.add(NEWS[1:])
    index.close()
    index.close()  # again: nothing
    assert index.closed
    with fihris.Searcher(db) as searcher:
        assert searcher.doc_count() == 1


def test_context_manager_commits_unless_the_block_raises(tmp_path):
    db = tmp_path / "db"
    with fihris.Index(db) as index:
        index.add(NEWS[:1])
    assert index.closed
    with pytest.raises(KeyError):
        with fihris.Index(db) as index:
            index.add(NEWS[1:])
            raise KeyError("the block fails")
    assert index.closed
    with fihris.Searcher(db) as searcher:
        assert searcher.doc_count() == 1
    # the lock went with the Index: a new one opens
    with fihris.Index(db) as index:
        index.delete("meta-ar")
    with fihris.Searcher(db) as searcher:
        assert searcher.doc_count() == 0


def test_a_second_writer_is_locked_out(news):
    with fihris.Index(news):
        with pytest.raises(fihris.Locked) as raised:
            fihris.Index(news)
        assert raised.value.status == "locked"
        assert "locked" in str(raised.value)
        with fihris.Searcher(news) as searcher:  # searchers read meanwhile
            assert searcher.doc_count() == 4
    with fihris.Index(news):
        pass


def test_an_index_dropped_unclosed_lets_go_of_the_database(tmp_path):
    index = fihris.Index(tmp_path / "db")
    index.add(NEWS)
    del index  # closed, without a commit, when collected
    with fihris.Index(tmp_path / "db") as index:
        assert index.add(NEWS).added == 4


def test_a_closed_index_raises(tmp_path):
    index = fihris.Index(tmp_path / "db")
    index.close()
    for call in (lambda: index.add(NEWS), lambda: index.delete("x"), index.commit):
        with pytest.raises(fihris.Invalid, match="the Index is closed"):
            call()


def test_an_index_where_none_can_be_made(tmp_path):
    (tmp_path / "file").write_text("not a directory")
    with pytest.raises(fihris.Error) as raised:
        fihris.Index(tmp_path / "file" / "db")
    assert str(raised.value)
    with pytest.raises(fihris.Invalid, match="NUL"):
        fihris.Index("a\0b")


def test_names_off(tmp_path):
    with fihris.Index(tmp_path / "db", names=False) as index:
        index.add(NEWS)
    assert ids(tmp_path / "db", "زوكربيرغ") == ["meta-ar"]
    assert ids(tmp_path / "db", "Zuckerberg") == []
    with fihris.Index(tmp_path / "names", names=True) as index:
        index.add(NEWS)
    assert ids(tmp_path / "names", "Zuckerberg") == ["meta-ar"]


EXTRA = {"tags": ["أخبار", "AI", {"rank": 1, "weight": 0.1, "ok": True, "none": None}],
         "meta": {"كاتب": "سارة العلي", "words": 1234, "ratio": -2.5e-7,
                  "big": [2 ** 63 - 1, -2 ** 63],
                  "deep": [[[{"x": []}]], {}], "escaped": "\\u0000 written out"},
         "titel": "a field the indexer does not know is kept, not refused",
         "extra": "a field named extra"}


def test_extra_fields_come_back_equal(tmp_path):
    doc = dict({"id": "x1", "title": "مقال", "body": "نص المقال عن Scale AI"}, **EXTRA)
    with fihris.Index(tmp_path / "db") as index:
        assert index.add(doc) == fihris.AddResult(added=1, replaced=0, unchanged=0, failed=[])
        index.add({"id": "x2", "body": "no extra fields"})
    with fihris.Searcher(tmp_path / "db") as searcher:
        got = searcher.document("x1")
        assert got == {"id": "x1", "title": "مقال", "body": "نص المقال عن Scale AI",
                       "lang": "ar", "extra": EXTRA}
        assert list(got["extra"]) == list(EXTRA)  # in their order
        assert "extra" not in searcher.document("x2")
        # extra fields are stored, not searched
        assert [h.id for h in searcher.search("سارة")] == []


def test_an_extra_field_that_changes_replaces(tmp_path):
    doc = {"id": "x1", "body": "text", "version": 1}
    with fihris.Index(tmp_path / "db") as index:
        index.add(doc)
    with fihris.Index(tmp_path / "db") as index:
        result = index.add([doc, dict(doc, id="x2"), dict(doc, version=2)])
        assert (result.added, result.replaced, result.unchanged) == (1, 1, 1)
    with fihris.Searcher(tmp_path / "db") as searcher:
        assert searcher.document("x1")["extra"] == {"version": 2}


def test_a_jsonl_file_from_the_indexer_comes_back_equal(tmp_path, indexer):
    doc = dict({"id": "j1", "title": "خبر", "body": "نص", "date": "2025-06-12T09:30:00Z"},
               **EXTRA)
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")
    run = subprocess.run([indexer, "--no-progress", "-d", str(tmp_path / "db"), str(path)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    with fihris.Searcher(tmp_path / "db") as searcher:
        assert searcher.document("j1") == {"id": "j1", "title": "خبر", "body": "نص",
                                           "date": "2025-06-12", "lang": "ar",
                                           "path": str(path), "extra": EXTRA}


def test_extra_fields_over_64_kb_are_dropped_with_a_warning(tmp_path):
    big = {"id": "big", "body": "b", "small": 1, "blob": "x" * (64 * 1024), "after": [2]}
    dropped = 'extra fields over 64 KB dropped (1: "blob")'
    with fihris.Index(tmp_path / "db") as index:
        result = index.add([NEWS[0], big])
        assert result.added == 2
        assert result.warnings == [fihris.Notice(position=1, id="big", message=dropped)]
        # with on_error="raise", the warnings of the documents added before the refused one
        with pytest.raises(fihris.Invalid) as raised:
            index.add([NEWS[1], dict(big, id="big2"), {"id": "bad"}])
        assert raised.value.warnings == [fihris.Notice(1, "big2", dropped)]
    with fihris.Searcher(tmp_path / "db") as searcher:
        assert searcher.document("big")["extra"] == {"small": 1, "after": [2]}


def test_iso_8601_dates_are_kept_as_the_day_they_name(tmp_path):
    docs = [{"id": "t1", "body": "x", "date": "2025-06-12T23:30:00-05:00"},
            {"id": "t2", "body": "x", "date": " 2025-06-12 09:30Z "},
            {"id": "t3", "body": "x", "date": datetime.datetime(2024, 2, 29, 23, 59)},
            {"id": "t4", "body": "x", "date": "2025-13"},
            {"id": "t5", "body": "x", "date": "2025-06-12T25:00"}]
    with fihris.Index(tmp_path / "db") as index:
        result = index.add(docs)
    assert result.added == 5
    assert result.warnings == [fihris.Notice(3, "t4", 'invalid date "2025-13"; ignored'),
                               fihris.Notice(4, "t5", 'invalid date "2025-06-12T25:00"; ignored')]
    with fihris.Searcher(tmp_path / "db") as searcher:
        assert [searcher.document(d["id"]).get("date") for d in docs] == \
            ["2025-06-12", "2025-06-12", "2024-02-29", None, None]
        assert sorted(h.id for h in searcher.search("x date:2025-06-12")) == ["t1", "t2"]
