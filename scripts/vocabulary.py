#!/usr/bin/env python3
"""Write the benchmark's word frequencies, measured on the real practice sheets.

    python scripts/vocabulary.py [PRACTICES_DIR] > hooks/knowledge/vocabulary.txt

The synthetic knowledge bases draw their text from this file, so that their
words are as frequent as in the real sheets (see ``knowledge.synthetic``).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))
from knowledge.synthetic import count_words

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    directory = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "practices"
    counts = count_words(directory)
    print(f"# Word counts of the running text of {len(list(directory.glob('*.yml')))} practice sheets,")
    print("# most frequent first. Written by scripts/vocabulary.py; read by knowledge.synthetic.")
    for word, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        print(count, word)
    return 0


if __name__ == "__main__":
    sys.exit(main())
