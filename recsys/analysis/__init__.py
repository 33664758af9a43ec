"""Looking at a collection from outside: ``export`` streams every track's vector of one name
to .npy or .parquet; ``maps`` draws a 2-D map of an embedding space (``projection``: UMAP,
t-SNE or PCA) as a self-contained HTML page or a PNG."""
