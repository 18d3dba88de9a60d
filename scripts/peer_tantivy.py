"""The tantivy-py side of scripts/bench-peer.sh (issue 13).

  peer_tantivy.py ingest INDEX_DIR ARTICLES.jsonl
  peer_tantivy.py query INDEX_DIR QUESTIONS.txt OUT.jsonl [WARMUPS]

One text field `text` (title + "\\n" + body, stored so that snippets can be
made from it), analyzed by `folded`: tantivy's `default` analyzer
(SimpleTokenizer, RemoveLongFilter 40, LowerCaser) plus AsciiFoldingFilter.
AsciiFoldingFilter maps precomposed Vietnamese letters to ASCII, đ/Đ → d
included (its table has U+0110/U+0111), so "Điều" → "dieu" and "đất" →
"dat" (checked before each ingest); the corpus is NFC, so no combining
marks are left behind. The id (`anchor`, else the line number) is stored.

The writer gets the same budget as vanban's (256 MB over 2 threads).

Query: one line per question, over the folded field, disjunction (as
vanban), lenient parsing (questions have "?" and ","). Timed per query
in-process: parse + top 10 + fetch the 10 stored docs + one HTML snippet per
hit (SnippetGenerator), the work behind vanban's took_ms with snippets.
Writes {"took_ms": ..., "ids": [...]} per line.
"""
import json
import os
import sys
import time

import tantivy

HEAP_BYTES = 256 * 1024 * 1024
THREADS = 2
ANALYZER = "folded"


def analyzer():
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


def schema():
    b = tantivy.SchemaBuilder()
    b.add_text_field("id", stored=True, tokenizer_name="raw")
    b.add_text_field("text", stored=True, tokenizer_name=ANALYZER)
    return b.build()


def open_index(path, create):
    os.makedirs(path, exist_ok=True)
    index = tantivy.Index(schema(), path=path, reuse=not create)
    index.register_tokenizer(ANALYZER, analyzer())
    return index


def check_folding():
    # đ must fold to d, as vanban's folded form does; fail loudly otherwise.
    got = analyzer().analyze("Điều đất HOÀ")
    if got != ["dieu", "dat", "hoa"]:
        sys.exit(f"tantivy-py: the folded analyzer gives {got}; the peer is unfair")


def ingest(path, articles):
    check_folding()
    index = open_index(path, create=True)
    writer = index.writer(HEAP_BYTES, THREADS)
    n = 0
    with open(articles, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            if not line.strip():
                continue
            rec = json.loads(line)
            title = rec.get("title") or ""
            body = rec.get("body") or rec.get("text") or ""
            doc = tantivy.Document()
            doc.add_text("id", str(rec.get("anchor") or line_no))
            doc.add_text("text", title + "\n" + body)
            writer.add_document(doc)
            n += 1
    writer.commit()
    writer.wait_merging_threads()
    print(f"tantivy-py: {n} documents indexed", file=sys.stderr)


def query(path, questions, out, warmups):
    index = open_index(path, create=False)
    index.reload()
    searcher = index.searcher()
    s = index.schema
    qs = [l.strip() for l in open(questions, encoding="utf-8") if l.strip()]

    def one(q):
        t0 = time.perf_counter()
        parsed, _errors = index.parse_query_lenient(q, ["text"])
        hits = searcher.search(parsed, 10).hits
        gen = tantivy.SnippetGenerator.create(searcher, parsed, s, "text")
        ids = []
        for _score, addr in hits:
            doc = searcher.doc(addr)
            gen.snippet_from_doc(doc).to_html()
            ids.append(doc["id"][0])
        return (time.perf_counter() - t0) * 1000.0, ids

    for _ in range(warmups):
        for q in qs:
            one(q)
    with open(out, "w", encoding="utf-8") as o:
        for q in qs:
            ms, ids = one(q)
            o.write(json.dumps({"took_ms": ms, "ids": ids}) + "\n")


def main():
    cmd = sys.argv[1]
    if cmd == "ingest":
        ingest(sys.argv[2], sys.argv[3])
    elif cmd == "query":
        warmups = int(sys.argv[5]) if len(sys.argv) > 5 else 1
        query(sys.argv[2], sys.argv[3], sys.argv[4], warmups)
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
