"""Phase times of one build, for the benchmark: where the time goes, by step."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["PhaseClock"]


class PhaseClock:
    """Seconds spent per named phase; a phase entered many times (once per page) adds up."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start

    def write(self, path: Path) -> None:
        path.write_text(json.dumps({name: round(value, 4) for name, value in self.seconds.items()}, indent=2) + "\n", encoding="utf-8")
