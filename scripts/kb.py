#!/usr/bin/env python3
"""Outil des contributeurs : vérifier les fiches, exporter le schéma.

python scripts/kb.py new [--reprendre]   crée une fiche en posant les questions (make new)
python scripts/kb.py new --no-input --title …   crée une fiche d'après les options
python scripts/kb.py check [DOSSIER]      vérifie les fiches (comme la CI)
python scripts/kb.py schema [--check]     régénère (ou compare) practices/schema/
python scripts/kb.py export-docs DOSSIER  écrit le site en Markdown, constructible sans les hooks
python scripts/kb.py pdf [DOSSIER]        écrit le guide et les cartes en PDF dans DOSSIER/telechargements/ (make pdf)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

import french_argparse
from project_environment import use_project_environment

use_project_environment()
french_argparse.install()

from knowledge import COLLECTIONS, KnowledgeBaseError, format_problems, link, load_knowledge_base, render_site, schema_files
from knowledge.editorial import build_date, editorial_warnings
from knowledge.model import KnowledgeBase
from knowledge.scaffold import QUESTIONS, answer_problem, paired_problems, sheet_text, sheet_yaml
from knowledge.schema import Practice
from knowledge.wizard import Draft, Interview, append_entries, parse_choice, parse_date, restore

ROOT = Path(__file__).resolve().parent.parent

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
    # Every collection counted, in the registry's order; the manifesto by its principles.
    counts = [(len(kb.collection(c.name)), c.noun) for c in kb.registry.values() if not c.single]
    counts.append((len(kb.manifesto.data.principles), kb.registry["manifesto"].noun))
    # Statuses their dates contradict and sheets overdue for review: for the editorial team, never a failure.
    warnings = [*kb.warnings, *editorial_warnings(kb.practices, build_date())]
    for warning in warnings:
        print(f"Attention : {warning}")
    verdict = "Aucun problème" if not warnings else f"Aucune erreur, {_count(len(warnings), 'point')} à vérifier par la relecture"
    print(verdict + " : " + ", ".join(_count(n, word) for n, word in counts) + ".")
    return 0


DRAFT_NAME = ".brouillon-nouvelle-fiche.json"


def new(directory: Path, given: dict[str, str | None], *, ask: bool, resume: bool = False) -> int:
    try:
        kb = load_knowledge_base(directory)
    except KnowledgeBaseError as error:
        print(format_problems(error.problems), file=sys.stderr)
        print("\nLes fiches existantes ont des erreurs : corrigez-les avant d'en ajouter une.", file=sys.stderr)
        return 1
    if not ask:
        return _new_from_flags(directory, kb, given)
    draft_path = directory / DRAFT_NAME
    if resume and not draft_path.is_file():
        print(f"Aucun brouillon à reprendre ({draft_path}) : lancez python scripts/kb.py new", file=sys.stderr)
        return 1
    if not resume and draft_path.is_file():
        print(f"Un brouillon de fiche existe déjà : reprenez-le avec python scripts/kb.py new --reprendre (ou supprimez {draft_path}).", file=sys.stderr)
        return 1
    draft = Draft.from_json(draft_path.read_text(encoding="utf-8")) if resume else Draft()

    def save(current: Draft) -> None:
        draft_path.write_text(current.to_json(), encoding="utf-8")

    print("Nouvelle fiche : répondez question par question. Ctrl-C à tout moment : vos réponses sont gardées.")
    if resume:
        print(f"Reprise du brouillon : {len(draft.asked)} réponses déjà données.")
    try:
        Interview(kb, draft, ask=input, say=print, save=save).run(Practice)
    except (KeyboardInterrupt, EOFError):
        save(draft)
        print(f"\nSaisie interrompue : aucune fiche n'a été écrite, vos réponses sont gardées dans {draft_path}.", file=sys.stderr)
        print("Reprenez avec : python scripts/kb.py new --reprendre", file=sys.stderr)
        return 130
    return _write_draft(directory, draft, draft_path)


def _write_draft(directory: Path, draft: Draft, draft_path: Path) -> int:
    """Write the sheet and the new reference entries; undo everything if the full check fails."""
    practice_id, text = sheet_yaml(draft.written(), today=dt.date.today())
    target = directory / f"{practice_id}.yml"
    if not practice_id or target.exists():
        print(f"Une fiche {target.name} existe déjà : changez le titre dans {draft_path}, puis reprenez.", file=sys.stderr)
        return 1
    originals = append_entries(directory, COLLECTIONS, draft.new)
    target.write_text(text, encoding="utf-8")
    status = check(directory)
    if status != 0:
        target.unlink()
        restore(originals)
        print(f"Rien n'a été écrit : la fiche ne passait pas la vérification. Vos réponses restent dans {draft_path}.", file=sys.stderr)
        return status
    draft_path.unlink(missing_ok=True)
    for collection, entries in draft.new.items():
        for key in entries:
            print(f"Ajouté à practices/reference/{COLLECTIONS[collection].file} : {key}")
    print(f"Fiche créée : {target}")
    print("Relisez-la, puis prévisualisez : make serve")
    print(f"Elle sera sur http://127.0.0.1:8000/bonnes-pratiques/pratiques/{practice_id}/")
    return 0


def _new_from_flags(directory: Path, kb: KnowledgeBase, given: dict[str, str | None]) -> int:
    answers: dict[str, str] = {}
    problems = []
    for question in QUESTIONS:
        value = given.get(question.field)
        if value and question.values is not None:
            value = parse_choice(question.values, value)  # « pratique », « en cours »: the labels are answers too
        elif value and question.is_date:
            value = parse_date(value)
        problem = answer_problem(question, value or "", kb)
        if problem:
            problems.append(f"--{question.field.replace('_', '-')} : {problem}")
        answers[question.field] = (value or "").strip()
    problems += [f"--{field.replace('_', '-')} : {message}" for field, message in paired_problems(answers)]
    if problems:
        print("La fiche n'a pas été écrite :", *problems, sep="\n  ", file=sys.stderr)
        return 1
    practice_id, text = sheet_text(answers, today=dt.date.today())
    target = directory / f"{practice_id}.yml"
    if not practice_id or target.exists():
        print(f"Une fiche {target.name} existe déjà : choisissez un autre titre.", file=sys.stderr)
        return 1
    target.write_text(text, encoding="utf-8")
    status = check(directory)
    if status != 0:
        target.unlink()
        print(f"{target.name} retirée : elle ne passait pas la vérification.", file=sys.stderr)
        return status
    print(f"Fiche créée : {target}")
    print(f"Elle sera sur http://127.0.0.1:8000/bonnes-pratiques/pratiques/{practice_id}/")
    return 0


def _count(number: int, word: str) -> str:
    head, _, tail = word.partition(" ")
    # French plurals: « 2 fiches », « 2 parcours » (a word ending in s, x or z does not change).
    plural = number > 1 and not head.endswith(("s", "x", "z"))
    return f"{number} {head}{'s' if plural else ''}{' ' + tail if tail else ''}"


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


def export_docs(practices: Path, target: Path) -> int:
    from knowledge.site_tree import export_docs as write_tree

    try:
        kb = load_knowledge_base(practices)
        pages = render_site(link(kb), repo_root=ROOT)
    except KnowledgeBaseError as error:
        print(format_problems(error.problems), file=sys.stderr)
        return 1
    count = write_tree(kb, pages, target, config_file=ROOT / "mkdocs.yml", docs_dir=ROOT / "docs", overrides=ROOT / "hooks" / "overrides")
    config = target / "mkdocs.yml"
    print(f"{count} fichiers générés écrits dans {target}/docs ; construction sans hooks : mkdocs build -f {config} (ou zensical build -f {config})")
    return 0


def pdf(practices: Path, site_dir: Path) -> int:
    """The guide and the cards as PDF, as the build makes them, without building the site (make pdf)."""
    import shutil

    from mkdocs.config import load_config

    from knowledge.pdf import CACHE, PdfError, build_editions

    config = load_config(str(ROOT / "mkdocs.yml"))
    if not config.site_url:
        print("mkdocs.yml : site_url manque ; les codes QR des cartes donnent l'adresse de chaque fiche en ligne.", file=sys.stderr)
        return 1
    try:
        graph = link(load_knowledge_base(practices))
        editions = build_editions(graph, cache=ROOT / CACHE, site_url=config.site_url, site_name=config.site_name, today=build_date())
    except KnowledgeBaseError as error:
        print(format_problems(error.problems), file=sys.stderr)
        return 1
    except PdfError as error:
        print(f"PDF impossible à produire : {error}", file=sys.stderr)
        return 1
    for edition in editions.values():
        target = site_dir / edition.uri
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(edition.path, target)
        print(f"{target} ({edition.label})")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kb.py", description="Outil des contributeurs de la base de connaissances.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")
    check_parser = commands.add_parser("check", help="vérifier les fiches, comme la CI")
    check_parser.add_argument("directory", nargs="?", type=Path, metavar="DOSSIER", help="dossier des fiches (défaut : practices/)")
    new_parser = commands.add_parser("new", help="créer une fiche en répondant à des questions")
    new_parser.add_argument("--directory", type=Path, metavar="DOSSIER", help="dossier des fiches (défaut : practices/)")
    new_parser.add_argument("--no-input", action="store_true", help="ne rien demander : tout vient des options")
    new_parser.add_argument("--reprendre", action="store_true", help="reprendre le brouillon laissé par une saisie interrompue")
    for question in QUESTIONS:
        new_parser.add_argument(f"--{question.field.replace('_', '-')}", dest=question.field, metavar="TEXTE", help=question.prompt)
    schema_parser = commands.add_parser("schema", help="régénérer le schéma JSON publié")
    schema_parser.add_argument("--check", action="store_true", help="échouer si le schéma publié n'est plus à jour")
    export_parser = commands.add_parser("export-docs", help="écrire le site en Markdown dans un dossier (sans hooks)")
    export_parser.add_argument("target", type=Path, metavar="DOSSIER", help="dossier de sortie (remplacé)")
    export_parser.add_argument("--practices", type=Path, metavar="DOSSIER", help="dossier des fiches (défaut : practices/)")
    pdf_parser = commands.add_parser("pdf", help="écrire le guide et les cartes pratiques en PDF")
    pdf_parser.add_argument("site_dir", nargs="?", type=Path, default=ROOT / "site", metavar="DOSSIER", help="dossier du site (défaut : site/)")
    pdf_parser.add_argument("--practices", type=Path, metavar="DOSSIER", help="dossier des fiches (défaut : practices/)")
    args = parser.parse_args(argv)
    if args.command == "pdf":
        return pdf(args.practices or _default_practices(), args.site_dir)
    if args.command == "export-docs":
        return export_docs(args.practices or _default_practices(), args.target)
    if args.command == "check":
        return check(args.directory or _default_practices())
    if args.command == "new":
        given = {question.field: getattr(args, question.field) for question in QUESTIONS}
        return new(args.directory or _default_practices(), given, ask=not args.no_input, resume=args.reprendre)
    return schema(args.check)


if __name__ == "__main__":
    sys.exit(main())
