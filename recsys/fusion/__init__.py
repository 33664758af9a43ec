"""Fusion: binding a track's modality vectors into one joint vector. ``model`` holds the
trainable torch modules (the paper's architecture and ours) saved as config JSON +
safetensors; ``fuser`` computes the fused vector a collection asks for (the concatenation
until a model is trained, then the model's output) for ingest and for queries alike.
Training lives in the top-level ``training`` package, which imports this one."""
