"""The names of the vectors every track may carry."""

from typing import Literal

TEXT = "text"
IMAGE = "image"
AUDIO = "audio"
GRAPH = "graph"
FUSED = "fused"

#: The four input modalities, in the order the fused vector concatenates them.
MODALITIES: tuple[str, ...] = (TEXT, IMAGE, AUDIO, GRAPH)
#: Every named vector of a collection.
VECTOR_NAMES: tuple[str, ...] = (*MODALITIES, FUSED)

Modality = Literal["text", "image", "audio", "graph"]
VectorName = Literal["text", "image", "audio", "graph", "fused"]
