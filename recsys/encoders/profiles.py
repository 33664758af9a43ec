"""Encoder profiles: one name for a set of text, image, audio and graph encoders (the graph is
RandNE in every profile; ``--graph-encoder deepwalk`` makes a custom set). The profile is
written into the collection; ingesting or querying it with another profile fails, naming both."""

from __future__ import annotations

from recsys.errors import EncoderError

PROFILES: dict[str, dict[str, str]] = {
    # runs anywhere: the models ship inside PyPI packages
    "offline": {"text": "minilm", "image": "efficientnet-lite0", "audio": "mir-librosa-v2", "graph": "randne"},
    # the paper's encoders: mxbai text, OpenCLIP ViT-B-32 covers; OpenL3 for audio (the
    # published vectors used VGGish, which has no maintained PyTorch package)
    "paper": {"text": "mxbai-large", "image": "clip-vit-b-32", "audio": "openl3", "graph": "randne"},
    # the paper's text and image models, with CLAP for audio: CLIP and CLAP also embed text,
    # so a text query reaches covers and sounds (see docs/encoders.md for why, and what was
    # and was not measured)
    "best": {"text": "mxbai-large", "image": "clip-vit-b-32", "audio": "clap-htsat-unfused", "graph": "randne"},
}
DEFAULT_PROFILE = "offline"
CUSTOM = "custom"


def profile_encoders(profile: str) -> dict[str, str]:
    try:
        return dict(PROFILES[profile])
    except KeyError:
        raise EncoderError(f"unknown profile '{profile}'; known: {', '.join(PROFILES)}") from None


def resolve(profile: str | None, overrides: dict[str, str | None],
            stored: tuple[str, dict[str, str]] | None = None) -> tuple[str, dict[str, str]]:
    """(profile label, modality -> encoder name): the profile's encoders with any explicit
    ones in their place; a profile with overrides is "custom". ``stored``: the label and the
    encoders of the collection being added to, which stand in for the default profile when
    none is named (a collection keeps the encoders it was made with, whatever the default
    became since)."""
    if profile is None and stored is not None:
        label, names = stored[0], {**profile_encoders(DEFAULT_PROFILE), **stored[1]}
    else:
        label, names = profile or DEFAULT_PROFILE, profile_encoders(profile or DEFAULT_PROFILE)
    given = {m: n for m, n in overrides.items() if n}
    changed = {m: n for m, n in given.items() if names.get(m) != n}
    names.update(given)
    return (CUSTOM if changed else label), names


def superseded(label: str, names: dict[str, str]) -> dict[str, tuple[str, str]]:
    """modality -> (the encoder a collection of profile ``label`` keeps, the one the profile
    names now), for each encoder the profile has changed since the collection was made (the
    offline profile's audio: ``mir-librosa`` then ``mir-librosa-v2``). Empty for a custom set."""
    now = PROFILES.get(label, {})
    return {m: (n, now[m]) for m, n in sorted(names.items()) if now.get(m) not in (None, n)}


def check_profile(collection: str, stored: str, requested: str) -> None:
    if stored != requested:
        raise EncoderError(
            f"collection '{collection}' was built with the '{stored}' profile, not '{requested}'; "
            f"use --profile {stored} or another collection (--collection)"
        )
