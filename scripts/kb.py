#!/usr/bin/env python3
"""Outil des contributeurs : vérifier les fiches, exporter le schéma.

python scripts/kb.py check [DOSSIER]      vérifie les fiches (comme la CI)
python scripts/kb.py schema [--check]     régénère (ou compare) practices/schema/
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from knowledge import KnowledgeBaseError, format_problems, link, load_knowledge_base, render_site, schema_files  # noqa: E402

SCHEMA_DIR = ROOT / "practices" / "schema"


def _default_practices() -> Path:
    return Path(os.environ.get("KB_PRACTICES_DIR") or ROOT / "practices")


def check(directory: Path) -> int:
    try:
        kb = load_knowledge_base(directory)
        # Rendering too: two sheets that would share a page URL are found only there.
        render_site(link(kb))
    except KnowledgeBaseError as error:
        print(format_problems(error.problems), file=sys.stderr)
        print("\nCorrigez ces points puis relancez : python scripts/kb.py check", file=sys.stderr)
        return 1
    counts = [
        (len(kb.practices), "fiche"),
        (len(kb.organisations), "organisation"),
        (len(kb.territories), "territoire"),
        (len(kb.agreements), "convention"),
        (len(kb.themes), "thème"),
        (len(kb.manifesto.data.principles), "principe du manifeste"),
    ]
    for warning in kb.warnings:
        print(f"Attention : {warning}")
    verdict = "Aucun problème" if not kb.warnings else f"Aucune erreur, {_count(len(kb.warnings), 'point')} à vérifier par la relecture"
    print(verdict + " : " + ", ".join(_count(n, word) for n, word in counts) + ".")
    return 0


def _count(number: int, word: str) -> str:
    head, _, tail = word.partition(" ")
    return f"{number} {head}{'s' if number > 1 else ''}{' ' + tail if tail else ''}"


def schema(check_only: bool) -> int:
    expected = schema_files()
    if check_only:
        stale = [name for name, text in expected.items() if not (SCHEMA_DIR / name).is_file() or (SCHEMA_DIR / name).read_text(encoding="utf-8") != text]
        extra = sorted(p.name for p in SCHEMA_DIR.glob("*.json") if p.name not in expected)
        if stale or extra:
            print(f"Schéma JSON à régénérer ({', '.join(stale + extra)}) : python scripts/kb.py schema", file=sys.stderr)
            return 1
        print("Le schéma JSON publié correspond au schéma du code.")
        return 0
    SCHEMA_DIR.mkdir(parents=True, exist_ok=True)
    for name, text in expected.items():
        (SCHEMA_DIR / name).write_text(text, encoding="utf-8")
    print(f"{len(expected)} fichiers écrits dans {SCHEMA_DIR.relative_to(ROOT)}/")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kb.py", description="Outil des contributeurs de la base de connaissances.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")
    check_parser = commands.add_parser("check", help="vérifier les fiches, comme la CI")
    check_parser.add_argument("directory", nargs="?", type=Path, help="dossier des fiches (défaut : practices/)")
    schema_parser = commands.add_parser("schema", help="régénérer le schéma JSON publié")
    schema_parser.add_argument("--check", action="store_true", help="échouer si le schéma publié n'est plus à jour")
    args = parser.parse_args(argv)
    if args.command == "check":
        return check(args.directory or _default_practices())
    return schema(args.check)


if __name__ == "__main__":
    sys.exit(main())
