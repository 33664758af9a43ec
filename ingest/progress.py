"""How a long job reports progress without knowing who watches: the CLI draws rich bars,
tests and scripts pass nothing."""

from __future__ import annotations

from typing import Protocol


class ProgressSink(Protocol):
    def stage(self, name: str, total: int | None) -> None:
        """A stage begins; ``total`` items are expected (None: unknown)."""

    def advance(self, name: str, n: int = 1) -> None: ...

    def warn(self, line: str) -> None:
        """One problem line (a bad row, a corrupt file)."""


class NullProgress:
    def stage(self, name: str, total: int | None) -> None:
        pass

    def advance(self, name: str, n: int = 1) -> None:
        pass

    def warn(self, line: str) -> None:
        pass
