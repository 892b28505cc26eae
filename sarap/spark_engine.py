"""The Spark engine of ``sarap batch``: the same worker function as the local engine, run by mapInArrow.

Rows flow executor-side only (no driver collect).  Models load once per Python worker process
(``batch.worker_analyzer``), which Spark reuses across tasks (spark.python.worker.reuse, on by default).
"""
from __future__ import annotations

from typing import Any, Iterator

from .batch import ANALYSED_COLUMNS, BatchOptions, BatchResult, analyse_records
from .tables import TABLES, arrow_schema



def spark_session(options: BatchOptions):
    import os
    import sys

    from pyspark.sql import SparkSession

    if (options.master or "local").startswith("local"):
        # A local run talks to itself only: keep the driver off the machine's public interfaces.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        # Workers must run this interpreter, the one that has sarap and its models installed.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)

    builder = SparkSession.builder.appName("sarap-batch")
    builder = builder.master(options.master or "local[*]")
    builder = builder.config("spark.sql.execution.arrow.pyspark.enabled", "true")
    builder = builder.config("spark.ui.enabled", "false")
    return builder.getOrCreate()


def analysed_schema():
    import pyarrow as pa
    return pa.schema([(name, pa.string()) for name in ANALYSED_COLUMNS])


def _analyse_batches(settings):
    """A mapInArrow function: input record batches in, analysed record batches out."""
    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        from .batch import expand_rows

        for batch in batches:
            records = list(expand_rows(batch.to_pylist(), settings))
            if records:
                yield pa.RecordBatch.from_pylist(analyse_records(records, settings), schema=analysed_schema())
    return run


def _flatten(table: str):
    """A mapInArrow function: analysed documents in, the rows of one output table out."""
    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        from .parquet_out import rows_from_analysed

        for batch in batches:
            rows = rows_from_analysed(batch.to_pylist())[table]
            yield pa.RecordBatch.from_pylist(rows, schema=arrow_schema(table))
    return run


def read_input(spark, path: str, options: BatchOptions):
    """A DataFrame of raw input rows (key, content|text, metadata) for any path Spark can read."""
    from pyspark.sql import functions as F

    lower = path.lower().rstrip("/")
    if lower.endswith(".parquet") or _is_parquet_dir(spark, path):
        df = spark.read.parquet(path)
        return _with_key(df, F)
    if lower.endswith((".jsonl", ".json", ".ndjson")):
        df = spark.read.json(path)
        return _with_key(df, F)
    df = (spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(path)
          .select(F.regexp_replace("path", "^file:", "").alias("key"), "content"))
    # As in `sarap ingest`: every file is read (a binary one is rejected with its reason), except
    # NAME.meta.json sidecars (metadata, applied by expand_rows) and a folder's README/LICENSE notes.
    name = F.regexp_extract(F.col("key"), r"([^/]*)$", 1)
    notes = name.rlike(r"(?i)^(readme|license|licence|changelog|copying)(\.|$)")
    df = df.where(~F.lower(name).endswith(".meta.json") & ~notes & ~F.lower(name).endswith(".parquet"))
    if options.partitions:
        df = df.repartition(options.partitions)
    return df


def _with_key(df, F):
    for name in ("title", "published", "source", "url", "text"):
        if name not in df.columns:
            df = df.withColumn(name, F.lit(None).cast("string"))
    key = F.coalesce(F.col("url"), F.sha2(F.col("text"), 256)) if "key" not in df.columns else F.col("key")
    return df.select(key.alias("key"), F.lit(None).cast("binary").alias("content"),
                     *(F.col(n).cast("string") for n in ("text", "title", "published", "source", "url")))


def _is_parquet_dir(spark, path: str) -> bool:
    from pathlib import Path

    p = Path(path)
    return p.is_dir() and any(p.glob("*.parquet"))


def run_spark(path: str, output: str, options: BatchOptions) -> BatchResult:
    from pyspark.sql import functions as F
    from pyspark.sql.types import StructField, StringType, StructType

    spark = spark_session(options)
    raw = read_input(spark, path, options)
    if options.source:
        raw = raw.withColumn("source", F.coalesce(F.col("source") if "source" in raw.columns else F.lit(None),
                                                  F.lit(options.source)))
    if options.partitions:
        raw = raw.repartition(options.partitions)
    schema = StructType([StructField(n, StringType()) for n in ANALYSED_COLUMNS])
    analysed = raw.mapInArrow(_analyse_batches(options.settings), schema)
    root = output.rstrip("/")
    # Stage twice so no job recomputes the NLP or the LSH join: analysed rows, then deduplicated rows.
    analysed.write.mode("overwrite").parquet(f"{root}/_analysed")
    from .batch_dedup import dedupe_spark
    deduped = dedupe_spark(spark.read.parquet(f"{root}/_analysed"), options.settings)
    deduped.write.mode("overwrite").parquet(f"{root}/_deduped")
    analysed = spark.read.parquet(f"{root}/_deduped")
    result = BatchResult()
    for table in TABLES:
        out_schema = spark.createDataFrame([], _spark_schema(table)).schema
        df = analysed.mapInArrow(_flatten(table), out_schema)
        df.write.mode("overwrite").parquet(f"{root}/{table}")
        result.tables[table] = spark.read.parquet(f"{root}/{table}").count()
    result.tables.update(write_kb_spark(spark, analysed, root))
    result.documents = result.tables["documents"]
    result.rejected = result.tables["rejected"]
    staged = spark.read.parquet(f"{root}/_analysed").where("reason IS NULL").count()
    result.duplicates = staged - result.documents
    return result


def write_kb_spark(spark, deduped, root: str) -> dict[str, int]:
    """Knowledge-base tables with the store's rules: the documents stream to the driver in publication
    order (``toLocalIterator``, one partition at a time, never collected whole) through ``KbBuilder``."""
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    from .kb_tables import kb_arrow_table
    from .parquet_out import build_kb

    docs = deduped.where(F.col("reason").isNull()).withColumn(
        "_published", F.coalesce(F.get_json_object("document_json", "$.published"), F.lit("9999-99-99")))
    ordered = docs.orderBy("_published", "key").select("key", "reason", "document_json")
    counts = {}
    for name, rows in build_kb(r.asDict() for r in ordered.toLocalIterator()).items():
        table = kb_arrow_table(name, rows)
        frame = spark.createDataFrame(table.to_pandas(), schema=from_arrow_schema(table.schema))
        frame.write.mode("overwrite").parquet(f"{root}/{name}")
        counts[name] = len(rows)
    return counts


def _spark_schema(table: str):
    from pyspark.sql.pandas.types import from_arrow_schema
    return from_arrow_schema(arrow_schema(table))
