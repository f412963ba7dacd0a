"""Typst in a process of its own, for the parts of the printed editions (``knowledge/pdf.py``).

Typst memoises what it lays out in caches that live as long as the process
and that the Python binding cannot empty: laid out in the build's process,
the 70 parts of the guide of 10,000 practices kept some 200 MB each. This
process compiles the parts one after the other, and the build replaces it
once it holds more than ``pdf.WORKER_MEMORY``: its memory goes with it.

Protocol, one JSON object a line: the build writes ``{"template": "guide.typ",
"name": "chapitre-3"}`` after writing ``<name>.json`` in the work folder; the
worker writes ``<name>.pdf`` and answers ``{"rss": bytes}`` (its peak memory), or ``{"error":
message}`` when Typst refuses the part.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import typst

try:
    import resource
except ImportError:  # Windows: the worker is then never replaced
    resource = None  # type: ignore[assignment]


def _peak_memory() -> int:
    """This process's peak resident memory, in bytes (Linux counts kilobytes, macOS bytes)."""
    if resource is None:
        return 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)


def main(work: Path, timestamp: int) -> None:
    # Typst's own fonts only (Libertinus Serif): the same PDF on every machine.
    compiler = typst.Compiler(root=str(work), ignore_system_fonts=True)
    when = dt.datetime.fromtimestamp(timestamp, tz=dt.UTC)
    for line in sys.stdin:
        request = json.loads(line)
        name = request["name"]
        try:
            # No tagged PDF: joining the parts would not keep the tags' tree whole.
            compiler.compile(
                str(work / request["template"]),
                output=str(work / f"{name}.pdf"),
                sys_inputs={"data": f"{name}.json"},
                timestamp=when,
                pdf_tags=False,
            )
            answer: dict[str, object] = {"rss": _peak_memory()}
        except typst.TypstError as error:
            answer = {"error": f"{error.message} {error.hints}".strip()}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
