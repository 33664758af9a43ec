"""The query engine over one collection: ``library`` (a collection opened for queries: seed
lookup, the store's neighbour calls, and ``Picker``, the one dedup of versions and artist cap),
``titles`` (the title index: exact and fuzzy title matching, an artist's tracks; ``titlekeys``,
a title's normalised form and version keys; ``titlepick``, the track equal matches mean),
``recommend`` (tracks like seed tracks, through the store's recommend call), ``playlist``
(several seeds, MMR diversity, one artist cap) and ``cross_modal`` (a cover, a text or an audio
clip encoded and searched in a named vector). Each query is one function
``(Library, request) -> answer`` that calls ``Library`` one way."""
