"""Errors a user can act on. The CLI prints them as one line: ``error: <message>``."""


class RecsysError(Exception):
    """Base class for every error whose message is meant for the user."""


class CatalogError(RecsysError):
    """A catalog cannot be read at all (missing manifest, unknown format)."""


class MediaError(RecsysError):
    """An audio or image file is missing, empty, corrupt or cannot be decoded."""


class EncoderError(RecsysError):
    """An encoder is unknown, cannot be loaded, or does not match a collection."""


class StoreError(RecsysError):
    """The vector store cannot be opened or answered with an error."""


class StoreInUseError(StoreError):
    """The embedded store is locked by another process."""


class NotFoundError(RecsysError):
    """A title, track or collection was not found."""
