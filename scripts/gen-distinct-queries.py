#!/usr/bin/env python3
"""Generates benches/queries/distinct.txt: distinct, realistic search queries
for the load benchmark (issue 13), deterministically from the shared corpus.

    python3 scripts/gen-distinct-queries.py [SHARED] > benches/queries/distinct.txt

SHARED defaults to $VANBAN_SHARED or ../shared. The same corpus gives the
same file, byte for byte (a fixed seed, inputs read in file order, no set
iteration order). What researchers type, drawn from:

- Pháp điển article titles ("Điều 36.3.LQ.1. Thanh niên" -> "Thanh niên"):
  short titles whole, long ones cut to their first words; and 2-4 syllable
  pieces of titles ("tài sản công", "cai nghiện ma túy");
- Pháp điển topics (đề mục names);
- ALQAC 2024 questions: some whole, most as keyword versions (the question
  without its "Theo luật ..., " lead and its "đúng hay sai?" tail, and 3-6
  syllable windows of it);
- document numbers from the Pháp điển source citations, in the spellings
  people use ("15/2020/NĐ-CP", "15/2020/ND-CP", "nghị định 15/2020",
  "nđ 15/2020", "15/2020/nđ-cp", "15/2020/NĐ - CP", "Nghị định số
  15/2020/NĐ-CP", "luật 57/2020/QH14 thanh niên" ...).

About a third of the text queries are typed without diacritics. Queries are
distinct after lowercasing and collapsing spaces, so no two hit the same
facet-cache entry; the file is shuffled so that a walk through it mixes the
sources.
"""
import json
import os
import random
import re
import sys
import unicodedata

SEED = 13
TOTAL = 20_000
# Shares of the total, by source (the rest is title pieces).
SHARES = {
    "title": 0.34,
    "topic": 0.01,
    "alqac_whole": 0.02,
    "alqac_keywords": 0.20,
    "number": 0.25,
}
UNACCENTED = 0.33


def fold(s):
    """Without diacritics: NFD, drop combining marks, đ -> d."""
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.replace("đ", "d").replace("Đ", "D")


# Syllables a typed phrase does not start or end with.
EDGE_WORDS = set(
    "của và các những trong đối với về theo cho là có được bị tại khi thì mà hoặc "
    "hay nào sau đây này đó một từ đến do để như thế nên ra vào ai gì bao nhiêu "
    "đúng sai không - –".split()
)


def trim(ws):
    """`ws` without punctuation and without edge words at either end."""
    ws = [w.strip(",.;:?!\"()") for w in ws]
    ws = [w for w in ws if w]
    while ws and ws[0].lower() in EDGE_WORDS:
        ws = ws[1:]
    while ws and ws[-1].lower() in EDGE_WORDS:
        ws = ws[:-1]
    return ws


def window(ws, rng, lo, hi):
    """A trimmed run of `lo`..`hi` syllables of `ws` (maybe shorter)."""
    n = rng.randint(lo, hi)
    if len(ws) <= n:
        return trim(ws)
    i = rng.randrange(len(ws) - n + 1)
    return trim(ws[i : i + n])


TITLE_PREFIX = re.compile(r"^Điều\s+[0-9A-Za-zĐđ.]+\.\s*")
CITATION = re.compile(r"^\(Điều\s+\S+\s+(.+?)\s+số\s+([0-9][^\s,)]*)")
KIND_CODES = {
    "Luật": None,
    "Bộ luật": None,
    "Nghị định": "nđ",
    "Thông tư": "tt",
    "Quyết định": "qđ",
    "Nghị quyết": "nq",
    "Chỉ thị": "ct",
    "Pháp lệnh": "pl",
    "Thông tư liên tịch": "ttlt",
}
QUESTION_LEAD = re.compile(r"^(theo|căn cứ)\s[^,]{3,80},\s*", re.I)
QUESTION_TAIL = re.compile(
    r"[,\s]*(đúng hay sai|là gì|hay không|không|như thế nào|bao nhiêu|ở đâu)?\s*\?\s*$",
    re.I,
)
ANSWER_CHOICES = re.compile(r"\s*[A-D][.)]\s.*$", re.S)


def read_articles(shared):
    path = os.path.join(shared, "corpus/phapdien/articles.jsonl")
    with open(path, encoding="utf-8-sig") as f:
        for line in f:
            line = line.strip()
            if line:
                yield json.loads(line)


def title_queries(articles, rng):
    whole, pieces = [], []
    for a in articles:
        t = unicodedata.normalize("NFC", TITLE_PREFIX.sub("", a.get("title", ""))).strip(" .")
        w = t.split()
        if len(w) < 2:
            continue
        cut = trim(w[: rng.randint(4, 8)]) if len(w) > 10 else trim(w)
        if len(cut) >= 2:
            whole.append(" ".join(cut))
        if len(w) > 4:
            piece = window(w, rng, 2, 4)
            if len(piece) >= 2:
                pieces.append(" ".join(piece))
    return whole, pieces


def topic_queries(articles):
    seen, out = set(), []
    for a in articles:
        d = re.sub(r"^Đề mục\s+[0-9.]+\s*", "", a.get("demuc", "")).strip()
        if d and d not in seen:
            seen.add(d)
            out.append(d)
    return out


def number_queries(articles, rng):
    """Every spelling of every cited document, one list per document."""
    docs, seen = [], set()
    for a in articles:
        m = CITATION.match(a.get("source_citation") or "")
        if not m:
            continue
        kind, number = m.group(1), m.group(2).rstrip(".,;")
        if kind not in KIND_CODES or number in seen or "/" not in number:
            continue
        seen.add(number)
        docs.append((kind, number))
    out = []
    for kind, number in docs:
        parts = number.split("/")
        serial = parts[0]
        year = parts[1] if len(parts) > 2 and parts[1].isdigit() else None
        code = KIND_CODES[kind]
        spellings = [
            number,
            fold(number),
            number.lower(),
            f"{kind} số {number}",
            f"{kind.lower()} {number}",
            fold(f"{kind.lower()} {number}"),
            number.replace("-", " - ", 1),
        ]
        if year:
            spellings += [f"{kind.lower()} {serial}/{year}", fold(f"{kind.lower()} {serial} {year}")]
            if code:
                spellings += [f"{code} {serial}/{year}", f"{serial}/{year} {code}"]
        rng.shuffle(spellings)
        out.append(spellings)
    return out


def alqac_queries(shared, rng):
    path = os.path.join(shared, "corpus/alqac2024/unverified_train.json")
    with open(path, encoding="utf-8") as f:
        questions = [unicodedata.normalize("NFC", q["text"]) for q in json.load(f)]
    whole, keywords = [], []
    for q in questions:
        q = ANSWER_CHOICES.sub("", q).strip()
        whole.append(q)
        core = QUESTION_TAIL.sub("", QUESTION_LEAD.sub("", q)).strip(" ,.")
        w = trim(core.split())
        if len(w) >= 3:
            keywords.append(" ".join(trim(w[:8])))
        for _ in range(12):
            piece = window(w, rng, 3, 6)
            if len(piece) >= 2:
                keywords.append(" ".join(piece))
    return whole, keywords


def main():
    shared = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("VANBAN_SHARED", "../shared")
    rng = random.Random(SEED)
    articles = list(read_articles(shared))
    titles, pieces = title_queries(articles, rng)
    topics = topic_queries(articles)
    numbers = number_queries(articles, rng)
    alqac_whole, alqac_keywords = alqac_queries(shared, rng)

    out, seen = [], set()

    def take(candidates, n, accents=True):
        """Up to `n` new queries from `candidates` (in a seeded order)."""
        taken = 0
        for q in candidates:
            if taken >= n:
                break
            q = " ".join(q.split())
            if accents and rng.random() < UNACCENTED:
                q = fold(q)
            key = q.lower()
            if not q or key in seen or len(q) > 300:
                continue
            seen.add(key)
            out.append(q)
            taken += 1
        return taken

    def shuffled(xs):
        xs = list(xs)
        rng.shuffle(xs)
        return xs

    counts = {}
    counts["title"] = take(shuffled(titles), int(TOTAL * SHARES["title"]))
    counts["topic"] = take(shuffled(topics), int(TOTAL * SHARES["topic"]))
    counts["alqac_whole"] = take(shuffled(alqac_whole), int(TOTAL * SHARES["alqac_whole"]))
    counts["alqac_keywords"] = take(
        shuffled(alqac_keywords), int(TOTAL * SHARES["alqac_keywords"])
    )
    # Numbers: one spelling per document first, then second spellings ...
    rounds = [[s[i] for s in numbers if len(s) > i] for i in range(max(map(len, numbers)))]
    want = int(TOTAL * SHARES["number"])
    got = 0
    for r in rounds:
        got += take(shuffled(r), want - got, accents=False)
    counts["number"] = got
    counts["title_piece"] = take(shuffled(pieces), TOTAL - len(out))
    rng.shuffle(out)
    for q in out:
        print(q)
    print(
        "; ".join(f"{k} {v}" for k, v in counts.items()) + f"; total {len(out)}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
