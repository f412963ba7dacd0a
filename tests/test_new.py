"""`kb.py new`: from questions (or flags) to a valid sheet, a passing check and
a page served by `mkdocs serve`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

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


def test_new_asks_in_french_offers_ids_and_asks_again(small_kb: Path) -> None:
    answers = [
        "Parrainage par des retraités",
        "Des retraités accompagnent des jeunes.",
        "pratique",  # refused: the value is « practice »
        "practice",
        "",
        "",
        "",
        "villeb",  # refused, with a suggestion
        "ville-b",
        "parrainage",
        "jeunes",
        "Des binômes se rencontrent chaque mois.",
        "",
        "Article de presse",
        "",
    ]
    result = run("new", "--directory", str(small_kb), stdin="\n".join(answers) + "\n")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Territoires (identifiants séparés par des virgules), parmi :" in result.stdout
    assert "  ville-b : " in result.stdout  # the existing ids are offered
    # The build's own messages: the wizard and CI cannot disagree.
    assert "→ valeur non autorisée « pratique » ; écrivez « practice » (Pratique) : les valeurs s'écrivent en anglais" in result.stdout
    assert "→ territoire inconnu « villeb » ; vouliez-vous dire « ville-b » ? (à définir dans practices/reference/territories.yml)" in result.stdout
    data = yaml.safe_load((small_kb / "parrainage-par-des-retraites.yml").read_text(encoding="utf-8"))
    assert data["kind"] == "practice" and data["territories"] == ["ville-b"] and "lead" not in data


def test_new_with_bad_flags_writes_nothing_and_says_why(small_kb: Path) -> None:
    before = sorted(small_kb.iterdir())
    result = run("new", "--directory", str(small_kb), "--no-input", "--title", "X", "--kind", "pratique", "--themes", "inconnu")
    assert result.returncode == 1
    assert "--kind : valeur non autorisée « pratique » ; écrivez « practice » (Pratique) : les valeurs s'écrivent en anglais" in result.stderr
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


def test_interrupted_input_writes_nothing(small_kb: Path) -> None:
    result = run("new", "--directory", str(small_kb), stdin="Un titre\n")
    assert result.returncode != 0 and "aucune fiche n'a été écrite" in result.stderr
    assert not (small_kb / "un-titre.yml").exists()
