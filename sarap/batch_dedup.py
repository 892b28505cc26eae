"""Duplicate rules for batch output: exact copies dropped, near-copies kept and linked as reprints.

The earliest copy wins: ordered by publication date (unknown last), then input key.  Near-duplicates
are pairs whose word-shingle sets have Jaccard similarity ≥ Settings.near_duplicate_threshold,
found with MinHash LSH (sarap.dedup's ReprintIndex locally, exactly as ``sarap ingest``; Spark ML's
MinHashLSH on Spark); a reprint links to the original of the earliest such copy.
"""
from __future__ import annotations

import json
from typing import Any

from .dedup import SHINGLE_WORDS, ReprintIndex, make_minhash, normalize_text, text_hash
from .settings import Settings

def order_key(row: dict[str, Any]) -> tuple[str, str]:
    return (row.get("published") or "9999-99-99", row.get("key") or "")


def dedupe_local(analysed: list[dict[str, Any]], settings: Settings) -> tuple[list[dict[str, Any]], int]:
    """Drop exact duplicates and link near-duplicates, as ``sarap ingest`` does; returns rows and the
    exact-duplicate count."""
    docs = sorted((_with_meta(r) for r in analysed if r["reason"] is None), key=order_key)
    index = ReprintIndex(settings.near_duplicate_threshold)
    seen: set[str] = set()
    kept: list[dict[str, Any]] = []
    for row in docs:
        text = row.pop("_text")
        digest = text_hash(text)
        if digest in seen or row["doc_id"] in index.order:
            continue
        seen.add(digest)
        minhash = make_minhash(text)
        row["reprint_of"] = index.find_original(minhash)
        index.add(row["doc_id"], minhash, row["reprint_of"])
        kept.append(row)
    rejected = [r for r in analysed if r["reason"] is not None]
    return kept + rejected, len(docs) - len(kept)


def _with_meta(row: dict[str, Any]) -> dict[str, Any]:
    data = json.loads(row["document_json"])
    return dict(row, published=data.get("published"), _text=data["text"])


def shingles(text: str) -> set[str]:
    """Word 3-shingles of the normalised text: the sets whose Jaccard similarity defines a reprint."""
    words = normalize_text(text).split()
    return {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def dedupe_spark(analysed, settings: Settings):
    """The same rules on a Spark DataFrame of analysed rows (key, doc_id, reason, document_json)."""
    from pyspark.ml.feature import HashingTF, MinHashLSH
    from pyspark.sql import Window
    from pyspark.sql import functions as F
    from pyspark.sql.types import ArrayType, StringType

    docs = analysed.where(F.col("reason").isNull())
    docs = docs.withColumn("published", F.get_json_object("document_json", "$.published"))
    order = [F.coalesce(F.col("published"), F.lit("9999-99-99")), F.col("key")]
    hash_udf = F.udf(lambda text: text_hash(text or ""), StringType())
    docs = docs.withColumn("_hash", hash_udf(F.get_json_object("document_json", "$.text")))
    first = Window.partitionBy("_hash").orderBy(*order)
    docs = docs.withColumn("_n", F.row_number().over(first)).where("_n = 1").drop("_n")
    docs = docs.withColumn("_rank", F.concat_ws("|", *order))
    shingle_udf = F.udf(lambda text: sorted(shingles(text or "")), ArrayType(StringType()))
    docs = docs.withColumn("_words", shingle_udf(F.get_json_object("document_json", "$.text")))
    docs = HashingTF(inputCol="_words", outputCol="_vec", numFeatures=1 << 20).transform(docs)
    docs = docs.where(F.size("_words") > 0)
    model = MinHashLSH(inputCol="_vec", outputCol="_hashes", numHashTables=8, seed=7).fit(docs)
    pairs = model.approxSimilarityJoin(docs, docs, 1 - settings.near_duplicate_threshold, distCol="_dist")
    pairs = pairs.where(F.col("datasetA._rank") < F.col("datasetB._rank"))
    earliest = (pairs.groupBy(F.col("datasetB.doc_id").alias("doc_id"))
                .agg(F.min(F.struct(F.col("datasetA._rank").alias("r"), F.col("datasetA.doc_id").alias("id")))
                     .alias("m"))
                .select("doc_id", F.col("m.id").alias("reprint_of")))
    # A reprint of a reprint links to the original, as the ingest index does.
    hop = earliest.select(F.col("doc_id").alias("_via"), F.col("reprint_of").alias("_root"))
    earliest = (earliest.join(hop, earliest.reprint_of == hop._via, "left")
                .select("doc_id", F.coalesce("_root", "reprint_of").alias("reprint_of")))
    docs = docs.join(earliest, "doc_id", "left").select("key", "doc_id", "reason", "document_json", "reprint_of")
    rejected = analysed.where(F.col("reason").isNotNull()).withColumn("reprint_of", F.lit(None).cast("string"))
    return docs.unionByName(rejected)
