"""The ingest job: read a catalog, build its graph, encode every modality in batches, fuse,
and upsert into the store, resumably and without losing a track on bad input (``pipeline``),
reporting progress through a small sink interface (``progress``)."""
