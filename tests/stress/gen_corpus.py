#!/usr/bin/env python3
"""gen_corpus.py - a deterministic mixed Arabic/English JSONL corpus for the
stress scripts (the benchmark's corpus needs npm and the network; this needs
neither).

    gen_corpus.py OUT.jsonl MB [--prefix P] [--seed S] [--first K] [--variant V]

Documents "P-0", "P-1", ... until the file holds MB megabytes, in the
benchmark's shape: id, title, body, date, source, lang ("ar", "en" or
"mixed"), bodies of 200 to 4000 bytes in Arabic (with and without harakat),
English, or both.  Every body holds the word "allstress" (one query that
finds every document) and every title "Stress N" (N the document's number).
--first K numbers the documents from K; --variant V changes every body and
adds the word "variantV", so that indexing it replaces documents already
indexed.  The same arguments always give the same bytes.
"""
import argparse
import json
import random

AR_WORDS = (
    "الذكاء الاصطناعي الباحثين والباحثون مختبرات الفائق شركة ميتا زوكربيرغ "
    "المدينة الكتاب العلم الناس السماء الأرض الرحمن الرحيم يوم القيامة "
    "الحكومة الاقتصاد السوق الطاقة النفط الماء البحر الجامعة الطلاب المدرسة "
    "الرئيس الوزير البرلمان الانتخابات الصحافة الأخبار التقرير الدراسة "
    "الحاسوب البرمجيات الشبكة الإنترنت الهاتف التطبيق البيانات الخوارزمية "
    "قال وقال إن أن في من على إلى عن مع هذا هذه ذلك التي الذي كان يكون "
    "واشنطن القاهرة الرياض دبي بغداد دمشق بيروت عمان تونس الجزائر الرباط "
    "غوغل جوجل أمازون مايكروسوفت تسلا ماسك تولوش تولوخ نيوتن موزارت"
).split()
AR_MARKED = (
    "ذَٰلِكَ ٱلرَّحۡمَٰنِ ٱلۡكِتَٰبُ هُدًى لِّلۡمُتَّقِينَ يُؤۡمِنُونَ بِٱلۡغَيۡبِ "
    "وَيُقِيمُونَ ٱلصَّلَوٰةَ رَزَقۡنَٰهُمۡ يُنفِقُونَ أُنزِلَ قَبۡلِكَ"
).split()
EN_WORDS = (
    "the of and to in that is was for on with as by at from this be have "
    "research laboratory artificial intelligence superintelligence company "
    "market energy oil water sea university students school president "
    "minister parliament election press news report study computer software "
    "network internet phone application data algorithm model training chips "
    "salary hired researcher book knowledge people sky earth day judgment "
    "Meta OpenAI Google DeepMind Zuckerberg Tulloch Musk Tesla Washington "
    "Cairo Riyadh Dubai Baghdad Newton Mozart GPT-4 H100 2025 14.3"
).split()
SOURCES = ["reuters", "aljazeera", "bbc", "ahram", "wire", "blog"]


def words(rng, vocab, n):
    return " ".join(rng.choice(vocab) for _ in range(n))


def body(rng, lang, extra):
    parts = []
    size = rng.randint(200, 4000)
    while sum(len(p) for p in parts) < size:
        if lang == "ar":
            vocab = AR_MARKED if rng.random() < 0.3 else AR_WORDS
            parts.append(words(rng, vocab, rng.randint(5, 20)) + ".")
        elif lang == "en":
            parts.append(words(rng, EN_WORDS, rng.randint(5, 20)).capitalize() + ".")
        else:
            parts.append(words(rng, AR_WORDS, rng.randint(4, 12)) + " " +
                         words(rng, EN_WORDS, rng.randint(4, 12)) + ".")
    parts.insert(rng.randint(0, len(parts)), "allstress" + extra)
    return " ".join(parts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("mb", type=float)
    ap.add_argument("--prefix", default="s")
    ap.add_argument("--seed", type=int, default=20251206)
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--variant", default="")
    a = ap.parse_args()
    rng = random.Random("%d/%s/%s" % (a.seed, a.prefix, a.variant))
    want = int(a.mb * 1e6)
    written = 0
    i = a.first
    extra = " variant" + a.variant if a.variant else ""
    with open(a.out, "w", encoding="utf-8") as f:
        while written < want:
            lang = rng.choice(["ar", "ar", "en", "mixed"])
            title_words = AR_WORDS if lang != "en" else EN_WORDS
            day = rng.randint(0, 9000)
            doc = {
                "id": "%s-%d" % (a.prefix, i),
                "title": "Stress %d %s" % (i, words(rng, title_words, rng.randint(2, 6))),
                "body": body(rng, lang, extra),
                "date": "%04d-%02d-%02d" % (2000 + day // 365, day % 12 + 1, day % 28 + 1),
                "source": rng.choice(SOURCES),
                "lang": lang,
            }
            line = json.dumps(doc, ensure_ascii=False) + "\n"
            f.write(line)
            written += len(line.encode("utf-8"))
            i += 1
    print(i - a.first)


if __name__ == "__main__":
    main()
