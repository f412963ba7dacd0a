"""Seeded synthetic knowledge bases, for benchmarks: schema-valid, French-sounding.

Reference data has realistic sizes whatever the number of practices (hundreds
of organisations and territories, dozens of themes), so that larger sizes
measure more practices, not different vocabularies. The same seed and size
always give the same files.
"""

from __future__ import annotations

import itertools
import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from knowledge import COLLECTIONS
from knowledge.labels import LABELS

__all__ = ["count_words", "read_vocabulary", "write_synthetic"]

# Word frequencies measured on the real practice sheets (``tests/bench/vocabulary.py``),
# function words included: synthetic text then has the head of a real French
# text (« de » everywhere, « emploi » often, most words rarely), so that a query
# matches as many pages as it would on real content. Made-up words continue the
# Zipf tail (the n-th word about n times rarer than the first), so that rare
# queries match a few pages, as proper nouns and jargon do.
_VOCABULARY = Path(__file__).parent / "vocabulary.txt"
_RARE_WORDS = 4000
_SYLLABLES = ["bel", "mont", "ville", "saint", "val", "ro", "ma", "lan", "cour", "ber", "fon", "tai", "ne", "mar", "gue", "ris", "chal", "ons", "ard", "eau"]
_REGIONS = 13
_DEPARTMENTS = 96
_TOWNS = 290
_ORGANISATIONS = 300
_THEMES = 40
_AUDIENCES = 10
_FIELDS = 12
_AGREEMENTS = 50
# The organisation kinds the sources use most (a subset of LABELS["organisation_kind"], checked below).
_KINDS = ["association", "foundation", "network", "public-operator", "local-structure", "employers", "company"]
assert set(_KINDS) <= set(LABELS["organisation_kind"])


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


_WORD = re.compile(r"[^\W\d_]+")
_ELISION = re.compile(r"\b([ldjnscm]|qu|jusqu|lorsqu|puisqu) ")


def count_words(directory: Path) -> Counter[str]:
    """How often each word occurs in the text of the practice sheets of ``directory``."""
    counts: Counter[str] = Counter()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            # Ids, dates and addresses are not running text.
            if " " in value:
                counts.update(word.lower() for word in _WORD.findall(value))
        elif isinstance(value, dict):
            # A figure's or an evidence level's « source » repeats a source's title: not text of its own.
            for key, item in value.items():
                if not (key == "source" and isinstance(item, str)):
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in sorted(directory.glob("*.yml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return counts


def read_vocabulary(path: Path = _VOCABULARY) -> list[tuple[str, int]]:
    """(word, count) pairs of a vocabulary file, most frequent first; « # » starts a comment."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            count, word = line.split()
            pairs.append((word, int(count)))
    return pairs


class _Text:
    """Seeded French text with the word frequencies of the real sheets and a Zipfian tail."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        vocabulary = read_vocabulary()
        known = {word for word, _ in vocabulary}
        rare = sorted({"".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(_RARE_WORDS)} - known)
        # The tail continues from the rarest real word: rank n weighs last_count * last_rank / n.
        last_rank, last_count = len(vocabulary), vocabulary[-1][1]
        tail = [last_count * last_rank / rank for rank in range(last_rank + 1, last_rank + len(rare) + 1)]
        self.words = [word for word, _ in vocabulary] + rare
        self.weights = list(itertools.accumulate([float(count) for _, count in vocabulary] + tail))

    def words_(self, count: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.weights, k=count)

    def sentence(self, low: int, high: int) -> str:
        text = " ".join(self.words_(self.rng.randint(low, high)))
        # « l emploi » is written « l’emploi », as in the sheets the counts come from.
        text = _ELISION.sub(r"\1’", text + " ").strip()
        return text[:1].upper() + text[1:].rstrip("’") + "."

    def paragraphs(self, words: int) -> str:
        sentences, count = [], 0
        while count < words:
            sentence = self.sentence(8, 20)
            sentences.append(sentence)
            count += sentence.count(" ") + 1
        return "\n\n".join(" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4))


def _dump(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")


def _date(rng: random.Random, first: int, last: int) -> str:
    return f"{rng.randint(first, last)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


# One short sentence, the same on every sheet: the sheets' running text keeps the real word frequencies.
_JUSTIFICATION = "Niveau attribué d'après la source de la fiche."


def _spread(rng: random.Random, earlier: list[str], places: list[str], source: str) -> dict[str, Any]:
    """One sheet in ten inspired by an earlier one (no loop), one in ten presented or taken up elsewhere."""
    links: dict[str, Any] = {}
    if earlier and rng.random() < 0.1:
        links["inspired_by"] = [{"practice": rng.choice(earlier), "adapted": "Adaptée au territoire.", "source": source}]
    if rng.random() < 0.1:
        links["spread"] = [{"how": rng.choice(list(LABELS["spread"])), "territory": rng.choice(places), "source": source}]
    return links


def _pathways(rng: random.Random, text: _Text, ids: list[str], audiences: list[str]) -> dict[str, Any]:
    """One pathway per 50 sheets, of three to six steps, each shown by one or two sheets."""
    pathways = {}
    for i in range(max(1, len(ids) // 50)):
        chosen = iter(rng.sample(ids, min(len(ids), 12)))
        steps = [
            {"id": f"etape-{n}", "title": text.sentence(3, 7)[:-1], "practices": [p for p in (next(chosen, None), next(chosen, None)) if p]}
            for n in range(rng.randint(3, 6))
        ]
        steps = [step for step in steps if step["practices"]]
        pathways[f"parcours-{i}"] = {
            "title": text.sentence(4, 8)[:-1],
            "goal": text.sentence(10, 18),
            "audiences": rng.sample(audiences, 1),
            "introduction": text.paragraphs(50),
            "steps": steps,
            "sources": [{"title": text.sentence(5, 10)[:-1]}],
        }
    return pathways


def write_synthetic(directory: Path, practices: int, *, seed: int = 0) -> None:
    """Write a complete practices directory with ``practices`` sheets."""
    rng = random.Random(seed)
    text = _Text(random.Random(seed + 1))
    reference = directory / "reference"
    reference.mkdir(parents=True, exist_ok=True)

    def _file(collection: str) -> Path:
        return reference / str(COLLECTIONS[collection].file)

    territories: dict[str, Any] = {"france": {"name": "France", "level": "national"}}
    regions = [f"region-{i}" for i in range(_REGIONS)]
    departments = [f"departement-{i}" for i in range(_DEPARTMENTS)]
    towns = [f"commune-{i}" for i in range(_TOWNS)]
    for key in regions:
        territories[key] = {"name": f"Région {_name(rng)}", "level": "region", "parent": "france"}
    for key in departments:
        territories[key] = {"name": f"{_name(rng)}-sur-{_name(rng)}", "level": "department", "parent": rng.choice(regions)}
    for key in towns:
        territories[key] = {"name": f"{_name(rng)}", "level": "municipality", "parent": rng.choice(departments)}
    _dump(_file("territories"), territories)

    organisations = {
        f"organisation-{i}": {
            "name": f"{rng.choice(['Maison de l’emploi', 'PLIE', 'Club', 'Association', 'Agence'])} {_name(rng)}",
            "kind": rng.choice(_KINDS),
            "territory": rng.choice([*regions, *departments, *towns]),
            "description": text.sentence(12, 30),
        }
        for i in range(_ORGANISATIONS)
    }
    _dump(_file("organisations"), organisations)
    themes = {f"theme-{i}": {"title": f"{text.sentence(2, 5)[:-1]}", "introduction": text.paragraphs(60)} for i in range(_THEMES)}
    _dump(_file("themes"), themes)
    audiences = {f"public-{i}": {"name": text.sentence(2, 4)[:-1]} for i in range(_AUDIENCES)}
    _dump(_file("audiences"), audiences)
    fields = {f"champ-{i}": {"name": text.sentence(3, 6)[:-1]} for i in range(_FIELDS)}
    _dump(_file("cooperation_fields"), fields)
    agreements = {
        f"convention-{i}": {
            "title": f"Convention {text.sentence(3, 6)[:-1].lower()}",
            "kind": rng.choice(list(LABELS["agreement_kind"])),
            "summary": text.sentence(15, 30),
            "signatories": rng.sample(list(organisations), 2),
            "signed": _date(rng, 2005, 2024),
            "duration": f"{rng.randint(1, 5)} ans",
            "cooperation_fields": rng.sample(list(fields), 2),
            "objectives": [text.sentence(6, 14) for _ in range(3)],
            "sources": [{"title": text.sentence(5, 10)[:-1]}],
        }
        for i in range(_AGREEMENTS)
    }
    _dump(_file("agreements"), agreements)

    ids = [f"pratique-{i:05d}" for i in range(practices)]
    # Its own generator, so that the sheets above stay the same sheets as before pathways existed.
    spread_rng = random.Random(seed + 2)
    for number, pid in enumerate(ids):
        source = text.sentence(5, 10)[:-1]
        created = _date(rng, 2018, 2024)
        status_date = str(rng.randint(2000, 2025))
        sheet = {
            "title": text.sentence(5, 11)[:-1],
            "summary": text.sentence(18, 32),
            "kind": rng.choice(list(LABELS["kind"])),
            "status": rng.choice(["planned", "ongoing", "completed", "discontinued"]),
            "status_date": status_date,
            "period": {"start": str(rng.randint(2000, 2024))},
            "lead": rng.choice(list(organisations)),
            "partners": rng.sample(list(organisations), rng.randint(0, 3)),
            "territories": rng.sample([*regions, *departments, *towns], rng.randint(1, 2)),
            "themes": rng.sample(list(themes), rng.randint(1, 3)),
            "audiences": rng.sample(list(audiences), rng.randint(1, 3)),
            "agreements": rng.sample(list(agreements), rng.randint(0, 2)),
            "cooperation_fields": rng.sample(list(fields), rng.randint(0, 2)),
            "description": text.paragraphs(rng.randint(120, 300)),
            "economy": text.paragraphs(60),
            "lessons": text.paragraphs(50),
            "key_figures": [
                {
                    "label": text.sentence(3, 7)[:-1],
                    "value": str(rng.randint(1, 5000)),
                    "type": rng.choice(list(LABELS["figure_type"])),
                    "date": str(rng.randint(2005, 2025)),
                    "source": source,
                }
                for _ in range(rng.randint(0, 3))
            ],
            "keywords": {"methodological": text.words_(3)},
            "sources": [{"title": source, "publisher": _name(rng), "date": _date(rng, 2005, 2025)}],
            # Most practices low on the rubric, as in the real content.
            "evidence": {
                "level": rng.choices(list(LABELS["evidence_level"]), weights=(40, 40, 12, 6, 2))[0],
                "justification": text.sentence(8, 16),
                "source": source,
            },
            "related": [other for other in rng.sample(ids, min(3, len(ids))) if other != pid][: rng.randint(0, 2)],
            **_spread(spread_rng, ids[:number], [*regions, *departments, *towns], source),
            "created": created,
            "reviewed": max(created, _date(rng, 2020, 2026)),
            "editorial_status": rng.choice(list(LABELS["editorial_status"])),
        }
        _dump(directory / f"{pid}.yml", sheet)

    _dump(_file("pathways"), _pathways(spread_rng, text, ids, list(audiences)))

    principles = [
        {"id": f"principe-{i}", "title": text.sentence(4, 8)[:-1], "text": text.paragraphs(50), "practices": rng.sample(ids, min(3, len(ids)))}
        for i in range(10)
    ]
    _dump(_file("manifesto"), {"title": "Manifeste synthétique", "preamble": text.paragraphs(80), "principles": principles})
