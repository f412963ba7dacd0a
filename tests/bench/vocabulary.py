#!/usr/bin/env python3
"""Write the benchmark's word frequencies, measured on the real practice sheets.

    python -m tests.bench.vocabulary [PRACTICES_DIR] > tests/support/vocabulary.txt

The synthetic knowledge bases draw their text from this file, so that their
words are as frequent as in the real sheets (see ``tests/support/synthetic.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..support.synthetic import count_words

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    directory = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "practices"
    counts = count_words(directory)
    print(f"# Word counts of the running text of {len(list(directory.glob('*.yml')))} practice sheets,")
    print("# most frequent first. Written by tests/bench/vocabulary.py; read by tests/support/synthetic.py.")
    for word, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        print(count, word)
    return 0


if __name__ == "__main__":
    sys.exit(main())
