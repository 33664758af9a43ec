"""The query engine over one collection: ``library`` (a collection opened for queries: seed
lookup, dedup of versions, the artist cap), ``titles`` (title normalisation and fuzzy
matching), ``recommend`` (tracks like seed tracks, through the store's recommend call),
``playlist`` (several seeds, MMR diversity) and ``cross_modal`` (a cover, a text or an audio
clip encoded and searched in a named vector)."""
