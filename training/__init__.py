"""Training and evaluation of the fusion model: data loading, pair mining, the training loop
and the evaluation protocols (A: the paper's pair retrieval, B: held-out genre, C: cross-modal).

Modules:

- ``data``: ``ModalityData``, the modality vectors of a set of tracks (from a catalog folder,
  the Fairouz data or a collection);
- ``store_data``: ``ModalityData`` read from a stored collection;
- ``pairs``: positive pairs mined from the vectors and the metadata, or the authors' pairs.json;
- ``train``: ``TrainConfig`` and the training loop, ``train_fusion``;
- ``evaluate``: the protocols A, B and C and their metrics;
- ``report``: the protocols with their baselines on one set of tracks (``evaluate_collection``);
- ``job``: the ``recsys train`` jobs (``train_collection``, ``train_on_catalog``) and the
  version numbering of fused vectors and checkpoints (``next_version``);
- ``model_files``: which folders of a collection's models folder are its own (``v<N>``,
  ``projection-*``), removed by ``recsys drop``;
- ``eval_job``: the ``recsys eval`` job on a stored collection, and its result as tables.
"""
