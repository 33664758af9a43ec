"""recsys: a multimodal music recommendation engine (text, image, audio, graph) on Qdrant."""

__version__ = "0.1.0"
