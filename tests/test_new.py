"""`kb.py new`: from questions (or flags) to a valid sheet, a passing check and
a page served by `mkdocs serve`."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pexpect
import yaml

from .conftest import ROOT

KB = [sys.executable, str(ROOT / "scripts" / "kb.py")]
FLAGS = [
    "--title", "Forum de l'alternance à Évreux",
    "--summary", "Un forum pour rencontrer des employeurs qui recrutent en alternance.",
    "--kind", "practice",
    "--lead", "maison-b",
    "--territories", "ville-b, region-b",
    "--themes", "decouverte",
    "--audiences", "jeunes",
    "--description", "Chaque printemps, la maison de l'emploi réunit des employeurs.",
    "--source-title", "Compte rendu du forum",
    "--source-url", "https://exemple.fr/forum",
    "--evidence-level", "décrite par ses acteurs",
    "--evidence-justification", "Le compte rendu raconte le forum, sans chiffres de suivi.",
]  # fmt: skip


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*KB, *args], input=stdin, capture_output=True, text=True, check=False, timeout=120, cwd=ROOT)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_new_from_flags_passes_the_check_and_is_served(small_kb: Path) -> None:
    result = run("new", "--directory", str(small_kb), "--no-input", *FLAGS)
    assert result.returncode == 0, result.stderr
    sheet = small_kb / "forum-de-l-alternance-a-evreux.yml"
    text = sheet.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=schema/practice.schema.json\n")
    data = yaml.safe_load(text)
    assert data["title"] == "Forum de l'alternance à Évreux" and data["territories"] == ["ville-b", "region-b"]
    assert data["sources"] == [{"title": "Compte rendu du forum", "url": "https://exemple.fr/forum"}]
    assert data["evidence"] == {
        "level": "described",
        "justification": "Le compte rendu raconte le forum, sans chiffres de suivi.",
        "source": "Compte rendu du forum",
    }
    assert data["editorial_status"] == "proposed"
    assert run("check", str(small_kb)).returncode == 0

    port = free_port()
    env = {**os.environ, "KB_PRACTICES_DIR": str(small_kb), "NO_MKDOCS_2_WARNING": "1"}
    log = small_kb.parent / "serve.log"
    with (
        log.open("w") as log_file,
        subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}", "-f", str(ROOT / "mkdocs.yml")],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
        ) as server,
    ):
        serve_new_sheet(server, port, log)


def serve_new_sheet(server: subprocess.Popen[bytes], port: int, log: Path) -> None:
    try:
        url = f"http://127.0.0.1:{port}/bonnes-pratiques/pratiques/forum-de-l-alternance-a-evreux/"
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    html = response.read().decode("utf-8")
                break
            except OSError:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "mkdocs serve did not serve the new sheet"
                time.sleep(0.5)
        assert "Forum de l'alternance à Évreux" in html and "Compte rendu du forum" in html
    finally:
        server.terminate()
        server.wait(timeout=30)


def _default_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Terminal:
    """``kb.py new`` in a real terminal (a pseudo-terminal), answered prompt by prompt."""

    def __init__(self, *args: str) -> None:
        # Ctrl-C as in a terminal, even when the suite itself runs with SIGINT ignored (a background job
        # of a non-interactive shell: the CI check started with « … & » hung here).
        self.child = pexpect.spawn(
            KB[0],
            [*KB[1:], "new", *args],
            cwd=str(ROOT),
            encoding="utf-8",
            timeout=30,
            dimensions=(50, 200),
            preexec_fn=_default_ctrl_c,
        )
        self.seen = ""

    def answer(self, prompt: str, text: str) -> None:
        self.child.expect_exact(prompt)
        self.seen += str(self.child.before) + prompt
        self.child.sendline(text)

    def wait(self, text: str) -> None:
        self.child.expect_exact(text)
        self.seen += str(self.child.before) + text

    def end(self) -> int:
        self.child.expect(pexpect.EOF)
        self.seen += str(self.child.before)
        self.child.close()
        return int(self.child.exitstatus if self.child.exitstatus is not None else -1)


def test_new_in_a_terminal_creates_an_organisation_and_a_town_survives_ctrl_c_and_resumes(small_kb: Path) -> None:
    first = Terminal("--directory", str(small_kb))
    first.answer("Titre de la fiche : ", "Job dating du port de Lorient")
    first.answer("Résumé en une ou deux phrases : ", "Un job dating mensuel avec les entreprises du port.")
    first.answer("Nature : ", "pratique")  # the French label is the answer
    first.answer("Statut — facultatif", "en cours")
    first.answer("Date de la source qui donne ce statut", "")  # required once a status is given…
    first.wait("réponse obligatoire")
    first.answer("Date de la source qui donne ce statut", "12 mars 2023")  # …and written as people write dates
    first.wait("Début")
    first.wait("Entrée pour passer : ")  # at the prompt, as a person presses it
    first.child.sendcontrol("c")
    assert first.end() == 130
    assert "Traceback" not in first.seen and "vos réponses sont gardées" in first.seen
    draft = json.loads((small_kb / ".brouillon-nouvelle-fiche.json").read_text(encoding="utf-8"))
    assert draft["sheet"] == {
        "title": "Job dating du port de Lorient",
        "summary": "Un job dating mensuel avec les entreprises du port.",
        "kind": "practice",
        "status": "ongoing",
        "status_date": "2023-03-12",
    }
    assert Terminal("--directory", str(small_kb)).end() == 1  # a second wizard does not overwrite the draft

    again = Terminal("--directory", str(small_kb), "--reprendre")
    again.wait("Reprise du brouillon : 5 réponses déjà données.")
    again.answer("Début", "mars 2019")
    again.answer("Fin", "")
    again.answer("Précision", "")
    again.answer("Organisation qui porte l'action", "Maison de l'emploi du pays de Lorient")
    again.answer("L'ajouter comme nouvelle organisation ? (o/n) : ", "o")
    again.answer("Nom [Maison de l'emploi du pays de Lorient] : ", "")
    again.answer("Sigle", "")
    again.answer("Nature", "structure locale")
    again.answer("Territoire d'implantation", "Lorient")
    again.answer("L'ajouter comme nouveau territoire ? (o/n) : ", "o")
    again.answer("Nom [Lorient] : ", "")
    again.answer("Niveau", "commune")
    again.answer("Territoire englobant", "ville b")  # « ville b » is « ville-b »…
    again.answer("Code officiel", "56121")
    again.wait("n'englobe pas")  # …a town, which cannot hold a town: the territory rules say so…
    again.answer("Territoire englobant", "Région B")  # …and the parent is asked again
    again.answer("Site web", "")
    again.answer("Organisations partenaires", "reseau a")
    again.answer("Territoires où l'action a lieu", "lorient")
    again.answer("Thèmes du guide", "decouverte")
    again.answer("Publics visés", "")
    again.answer("Conventions", "")
    again.answer("Champs de coopération", "")
    again.answer("Éléments descriptifs", "Chaque mois, des entreprises du port rencontrent des demandeurs d'emploi.")
    for _ in range(5):
        again.answer("facultatif", "")
    again.answer("Ce qui a fait réussir l'action", "Des entreprises qui recrutent toute l'année.")
    again.answer("Difficultés rencontrées", "")
    again.answer("Ce qu'il faut réunir", "")
    again.answer("Ajouter un chiffre clé ? (o/n) : ", "o")
    again.answer("Ce que mesure le chiffre", "Personnes recrutées")
    again.answer("La valeur", "45")
    again.answer("Unité", "")
    again.answer("Ce chiffre est", "résultat")
    again.answer("Pour un résultat", "demandeurs d'emploi du pays de Lorient")
    again.answer("Financé par", "")
    again.answer("Date à laquelle", "")  # a result without its date is refused…
    again.wait("réponse obligatoire")
    again.answer("Date à laquelle", "2022")
    again.answer("Titre de la source du chiffre", "Le job dating du port")
    again.answer("Ajouter un autre chiffre clé ? (o/n) : ", "n")
    for _ in range(3):
        again.answer("Mots-clés", "")
    again.wait("Au moins une source : une source au moins.")
    again.answer("Titre du document", "Le job dating du port")
    again.answer("Adresse web", "letelegramme.fr/lorient")
    again.answer("Adresse web", "https://www.letelegramme.fr/lorient")
    again.answer("Éditeur", "")
    again.answer("Date de publication", "12/03/2023")
    again.answer("Précision sur le document", "")
    again.answer("Ajouter une autre source ? (o/n) : ", "n")
    again.answer("Niveau de preuve", "suivie")
    again.answer("Pourquoi ce niveau", "L'article publie le nombre de personnes recrutées.")
    again.answer("Titre de la source (parmi les sources de la fiche) sur laquelle repose ce niveau [Le job dating du port]", "")
    again.answer("Ajouter un point de vigilance ? (o/n) : ", "n")
    again.answer("Fiches liées", "")
    again.answer("Ajouter une fiche dont l'action s'est inspirée ? (o/n) : ", "n")
    again.answer("Ajouter un territoire où la démarche a été présentée ou reprise ? (o/n) : ", "n")
    for prompt in ("Contact : organisation", "Service ou fonction", "Adresse générique", "Page de contact"):
        again.answer(prompt, "")
    assert again.end() == 0, again.seen
    assert "adresse web invalide « letelegramme.fr/lorient » : elle doit commencer par https:// ou http://" in again.seen

    sheet = yaml.safe_load((small_kb / "job-dating-du-port-de-lorient.yml").read_text(encoding="utf-8"))
    assert sheet["period"] == {"start": "2019-03"} and sheet["lead"] == "maison-de-l-emploi-du-pays-de-lorient" and sheet["partners"] == ["reseau-a"]
    assert sheet["key_figures"] == [
        {
            "label": "Personnes recrutées",
            "value": "45",
            "type": "result",
            "population": "demandeurs d'emploi du pays de Lorient",
            "date": "2022",
            "source": "Le job dating du port",
        }
    ]
    assert sheet["evidence"] == {"level": "monitored", "justification": "L'article publie le nombre de personnes recrutées.", "source": "Le job dating du port"}
    assert sheet["success_factors"] == "Des entreprises qui recrutent toute l'année." and sheet["editorial_status"] == "proposed"
    assert sheet["sources"] == [{"title": "Le job dating du port", "url": "https://www.letelegramme.fr/lorient", "date": "2023-03-12"}]
    assert "contact" not in sheet and "keywords" not in sheet
    territories = yaml.safe_load((small_kb / "reference" / "territories.yml").read_text(encoding="utf-8"))
    assert territories["lorient"] == {"name": "Lorient", "level": "municipality", "parent": "region-b", "code": "56121"}
    organisations = yaml.safe_load((small_kb / "reference" / "organisations.yml").read_text(encoding="utf-8"))
    assert organisations["maison-de-l-emploi-du-pays-de-lorient"] == {
        "name": "Maison de l'emploi du pays de Lorient",
        "kind": "local-structure",
        "territory": "lorient",
    }
    assert not (small_kb / ".brouillon-nouvelle-fiche.json").exists()
    assert run("check", str(small_kb)).returncode == 0


def test_new_with_bad_flags_writes_nothing_and_says_why(small_kb: Path) -> None:
    before = sorted(small_kb.iterdir())
    result = run("new", "--directory", str(small_kb), "--no-input", "--title", "X", "--kind", "pratique", "--status", "fini", "--themes", "inconnu")
    assert result.returncode == 1
    assert "--kind" not in result.stderr  # « pratique » is the label of « practice »: understood
    assert "--status : valeur non autorisée « fini »" in result.stderr
    assert "--themes : thème inconnu « inconnu »" in result.stderr
    assert "--summary : réponse obligatoire" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(small_kb.iterdir()) == before


def test_new_refuses_to_overwrite_a_sheet(small_kb: Path) -> None:
    flags = list(FLAGS)
    flags[1] = "Parrainage jeunes"
    result = run("new", "--directory", str(small_kb), "--no-input", *flags)
    assert result.returncode == 1 and "Une fiche parrainage-jeunes.yml existe déjà" in result.stderr
    assert "Des salariés parrainent" in (small_kb / "parrainage-jeunes.yml").read_text(encoding="utf-8")


def test_interrupted_input_writes_nothing_and_keeps_the_answers(small_kb: Path) -> None:
    result = run("new", "--directory", str(small_kb), stdin="Un titre\n")
    assert result.returncode == 130 and "aucune fiche n'a été écrite, vos réponses sont gardées" in result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads((small_kb / ".brouillon-nouvelle-fiche.json").read_text(encoding="utf-8"))["sheet"] == {"title": "Un titre"}
