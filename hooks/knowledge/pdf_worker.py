"""The heavy half of the printed editions (``knowledge/pdf.py``), in a process of its own.

Typst memoises what it lays out in caches that live as long as the process
and that the Python binding cannot empty: laid out in the build's process,
the parts of the guide of 10,000 practices kept some 200 MB each. pypdf, which
joins the parts, holds every page of the result until it is written (some
500 MB for 20,000 pages). Both run here, and the build replaces this process
once it holds more than ``pdf.WORKER_MEMORY``: its memory goes with it.

Protocol, one JSON object a line on standard input, one answer a line on
standard output:

- ``{"compile": "guide.typ", "name": "chapitre-3", "first": 42}``: lay out
  ``<name>.json`` (written by the build in the work folder) into
  ``<name>.pdf``, its pages numbered from ``first``;
- ``{"join": ["a.pdf", …], "output": "guide.pdf", "title": …, "author": …,
  "outline": [[title, page, [[title, page], …]], …]}``: join the parts into
  one PDF with those bookmarks after the first part's own.

The answer is ``{"rss": bytes}`` (the process's peak memory), or
``{"error": message}`` when Typst refuses a part.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import typst
from pypdf import PdfReader, PdfWriter

try:
    import resource
except ImportError:  # Windows: the worker is then never replaced
    resource = None  # type: ignore[assignment]


def _peak_memory() -> int:
    """This process's peak resident memory, in bytes (Linux counts kilobytes, macOS bytes)."""
    if resource is None:
        return 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)


def join(work: Path, request: dict[str, Any]) -> None:
    writer = PdfWriter()
    for number, name in enumerate(request["join"]):
        # The first part's bookmarks (the front matter's sections) are kept; the others are written below.
        writer.append(PdfReader(work / name), import_outline=number == 0)
    for title, page, children in request["outline"]:
        parent = writer.add_outline_item(title=title, page_number=page - 1)
        for child, child_page in children:
            writer.add_outline_item(title=child, page_number=child_page - 1, parent=parent)
    writer.add_metadata({"/Title": request["title"], "/Author": request["author"]})
    writer.page_mode = "/UseOutlines"
    with (work / request["output"]).open("wb") as file:
        writer.write(file)


def main(work: Path, timestamp: int) -> None:
    # Typst's own fonts only (Libertinus Serif): the same PDF on every machine.
    compiler = typst.Compiler(root=str(work), ignore_system_fonts=True)
    when = dt.datetime.fromtimestamp(timestamp, tz=dt.UTC)
    for line in sys.stdin:
        request = json.loads(line)
        try:
            if "join" in request:
                join(work, request)
            else:
                name = request["name"]
                # No tagged PDF: joining the parts would not keep the tags' tree whole.
                compiler.compile(
                    str(work / request["compile"]),
                    output=str(work / f"{name}.pdf"),
                    sys_inputs={"data": f"{name}.json", "first": str(request["first"])},
                    timestamp=when,
                    pdf_tags=False,
                )
            answer: dict[str, object] = {"rss": _peak_memory()}
        except typst.TypstError as error:
            answer = {"error": f"{error.message} {' '.join(error.hints)}".strip()}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
