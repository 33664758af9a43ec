"""The synthetic sample catalog (``generator.write_sample_catalog``): audio clips synthesised
per genre (``audio``), covers drawn per genre (``art``), lyrics, summaries and descriptions
from per-genre vocabularies (``text``). Eight genres that really differ in sound, colour and
words, with versions, instrumentals and playlists, so every modality has known answers."""
