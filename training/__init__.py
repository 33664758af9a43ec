"""Training and evaluation of the fusion model: data loading, pair mining, the training loop
and the evaluation protocols (A: the paper's pair retrieval, B: held-out genre, C: cross-modal).
"""
