"""conftest.py - the databases the tests of the fihris package search: a few
news documents in Arabic and English, the articles of corpus/ (indexed as
the indexer reads a text file: the first non-blank line is the title), and
thousands of generated documents, more hits than one page holds.

The package under test is the installed one (tests/install/python.sh
builds it against an install of libfihris); corpus/ is found from this
file, or from FIHRIS_SOURCE_DIR; the indexer command is FIHRIS_INDEXER (the
installed one), else the one on PATH."""

import os
import pathlib
import shutil

import pytest

import fihris

SOURCE_DIR = pathlib.Path(os.environ.get("FIHRIS_SOURCE_DIR")
                          or pathlib.Path(__file__).resolve().parents[2])

NEWS = [
    {"id": "meta-ar", "title": "ميتا وScale AI",
     "body": "أعلن مارك زوكربيرغ أن ميتا ستستثمر في شركة Scale AI وأن الباحثين سينضمون إلى مختبرها.",
     "url": "https://example.org/meta-ar", "date": "2025-06-12", "source": "Reuters", "lang": "ar"},
    {"id": "openai-en", "title": "OpenAI hires researchers",
     "body": "OpenAI released a new model and hired researchers from Google.",
     "date": "2025-08", "source": "Reuters"},
    {"id": "tesla-en", "title": "Tesla robotaxi",
     "body": "Tesla started its robotaxi service in Austin; the researchers were not convinced.",
     "date": "2024", "source": "AP", "lang": "en"},
    {"id": "google-ar", "title": "غوغل",
     "body": "قالت غوغل إن نموذجها الجديد يفهم النصوص العربية والإنجليزية.",
     "date": "2025-01-30", "source": "الجزيرة"},
]

MANY = 2500


def generated(n):
    """n documents "gen-i", each with the word "everyword", twenty words
    "w<number>" and a date (a month of 2000 to 2024)."""
    for i in range(n):
        words = " ".join("w%d" % ((i * 31 + k * 7919) % 4999) for k in range(1, 21))
        yield {"id": "gen-%d" % i, "title": "Generated %d" % i, "body": "everyword " + words,
               "date": "20%02d-%02d" % (i % 25, i % 12 + 1)}


def corpus_docs():
    """The articles of corpus/ as documents: id the file name."""
    for path in sorted((SOURCE_DIR / "corpus").glob("*.txt")):
        text = path.read_text(encoding="utf-8").strip()
        title, _, body = text.partition("\n")
        yield {"id": path.name, "title": title.strip(), "body": body.strip()}


@pytest.fixture
def news(tmp_path):
    """A database of NEWS, committed; its path."""
    db = tmp_path / "news"
    with fihris.Index(db) as index:
        index.add(NEWS)
    return db


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """corpus/ indexed; its path."""
    docs = list(corpus_docs())
    assert len(docs) == 5, "corpus/ holds five articles"
    db = tmp_path_factory.mktemp("corpus") / "db"
    with fihris.Index(db) as index:
        assert index.add(docs).added == 5
    return db


@pytest.fixture(scope="session")
def many(tmp_path_factory):
    """MANY generated documents; the database's path."""
    db = tmp_path_factory.mktemp("many") / "db"
    with fihris.Index(db) as index:
        assert index.add(generated(MANY)).added == MANY
    return db


@pytest.fixture(scope="session")
def indexer():
    """The indexer command."""
    found = os.environ.get("FIHRIS_INDEXER") or shutil.which("indexer")
    if not found:
        pytest.skip("no indexer command: set FIHRIS_INDEXER")
    return found
