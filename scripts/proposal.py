#!/usr/bin/env python3
"""Turn a « Proposer une pratique » issue into a practice sheet (used by CI).

    python scripts/proposal.py BODY_FILE [--directory practices] [--comment FILE]

Reads the issue body from BODY_FILE (« - » for standard input), writes
practices/<id>.yml when the proposal is valid and passes the same check as
CI, and writes to --comment the French message posted on the issue. Prints
the new sheet's id on success; exits 1, writing nothing, otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import french_argparse
from project_environment import use_project_environment

use_project_environment()
french_argparse.install()

from knowledge import COLLECTIONS, KnowledgeBaseError, format_problems, link, load_knowledge_base, render_site
from knowledge.proposal import form_labels, read_proposal
from knowledge.wizard import append_entries, restore

ROOT = Path(__file__).resolve().parent.parent
FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "proposer-une-pratique.yml"


def _refused(problems: list[str]) -> str:
    lines = "\n".join(f"- {problem}" for problem in problems)
    return (
        "La proposition n'a pas encore pu devenir une fiche :\n\n"
        f"{lines}\n\n"
        "Modifiez votre demande (menu « … » puis « Edit ») : la vérification se relance à chaque modification."
    )


def convert(body: str, directory: Path) -> tuple[str | None, str]:
    """(new sheet id or None, French comment for the issue)."""
    try:
        kb = load_knowledge_base(directory)
    except KnowledgeBaseError as error:
        return None, "Les fiches du dépôt ont des erreurs ; l'équipe est prévenue.\n\n```\n" + format_problems(error.problems) + "\n```"
    proposal = read_proposal(body, form_labels(FORM), kb, today=dt.date.today())
    if proposal.problems:
        return None, _refused(proposal.problems)
    target = directory / f"{proposal.practice_id}.yml"
    if target.exists():
        return None, _refused([f"une fiche « {proposal.practice_id} » existe déjà : changez le titre"])
    originals = append_entries(directory, COLLECTIONS, proposal.new)
    target.write_text(proposal.text, encoding="utf-8")
    try:
        render_site(link(load_knowledge_base(directory)))
    except KnowledgeBaseError as error:
        target.unlink()
        restore(originals)
        return None, _refused([f"{p.field or 'fiche'} : {p.message}" for p in error.problems])
    lines = [f"La fiche `practices/{proposal.practice_id}.yml` a été créée et passe la vérification."]
    lines += [f"- ajouté à `practices/reference/{COLLECTIONS[name].file}` : {key}" for name, entries in proposal.new.items() for key in entries]
    lines += [f"- {note}" for note in proposal.notes]
    return proposal.practice_id, "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(prog="proposal.py", description="Fait une fiche d'une demande « Proposer une pratique » (utilisé par la CI).")
    parser.add_argument("body", metavar="DEMANDE", help="fichier contenant le texte de la demande, ou - pour l'entrée standard")
    parser.add_argument("--directory", type=Path, default=ROOT / "practices", metavar="DOSSIER", help="dossier des fiches (défaut : practices/)")
    parser.add_argument("--comment", type=Path, metavar="FICHIER", help="où écrire le message pour la demande")
    args = parser.parse_args()
    body = sys.stdin.read() if args.body == "-" else Path(args.body).read_text(encoding="utf-8", errors="replace")
    practice_id, comment = convert(body, args.directory)
    if args.comment:
        args.comment.write_text(comment + "\n", encoding="utf-8")
    print(practice_id or comment, file=sys.stdout if practice_id else sys.stderr)
    return 0 if practice_id else 1


if __name__ == "__main__":
    sys.exit(main())
