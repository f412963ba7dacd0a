"""GitHub Actions workflows: zizmor finds nothing, and the rules it cannot see
(SHA pins with their version, Pages deployment, least privilege) hold."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from .conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
ZIZMOR = [str(Path(sys.executable).parent / "zizmor"), "--offline", "--no-progress"]


def load(name: str) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    return data


def zizmor(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ZIZMOR, str(path)], capture_output=True, text=True, check=False, timeout=120)


def test_zizmor_reports_no_finding() -> None:
    result = zizmor(WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout, result.stdout


def test_zizmor_sees_a_workflow_broken_on_purpose(tmp_path: Path) -> None:
    broken = tmp_path / ".github" / "workflows"
    broken.mkdir(parents=True)
    shutil.copy(WORKFLOWS / "proposition.yml", broken / "proposition.yml")
    text = (broken / "proposition.yml").read_text(encoding="utf-8")
    text = text.replace("printf '%s' \"$ISSUE_BODY\"", "printf '%s' \"${{ github.event.issue.body }}\"")
    text = text.replace("actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683", "actions/checkout@v4")
    text = text.replace("  issues:\n    types: [opened, edited]", "  pull_request_target:\n  issues:\n    types: [opened, edited]")
    (broken / "proposition.yml").write_text(text, encoding="utf-8")
    result = zizmor(broken)
    assert result.returncode != 0
    for audit in ("template-injection", "unpinned-uses", "dangerous-triggers"):
        assert f"[{audit}]" in result.stdout, (audit, result.stdout)


def test_every_action_is_pinned_by_commit_sha_with_its_version() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "uses:" in line:
                assert re.search(r"uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), (path.name, line)


def test_no_workflow_runs_untrusted_code_with_secrets() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        assert "pull_request_target" not in text and "workflow_run" not in text, path.name
        workflow = load(path.name)
        assert workflow["permissions"] == {}, path.name  # nothing by default, each job asks for its own
        for name, job in workflow["jobs"].items():
            assert "permissions" in job, (path.name, name)
            for step in job["steps"]:
                # Untrusted strings reach scripts through env:, never inside run:.
                assert "github.event" not in step.get("run", ""), (path.name, name, step.get("name"))


def test_pull_requests_are_checked_and_the_site_attached() -> None:
    ci = load("ci.yml")
    assert "pull_request" in ci[True]  # YAML 1.1 reads the key « on » as true
    steps = ci["jobs"]["test"]["steps"]
    assert any("bash .ci/run" in step.get("run", "") for step in steps)
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"] == {"name": "site", "path": "site/", "retention-days": 14}
    assert ci["jobs"]["test"]["permissions"] == {"contents": "read"}


def test_main_is_published_on_pages_one_deployment_at_a_time() -> None:
    publish = load("publish.yml")
    assert publish[True]["push"] == {"branches": ["main"]}
    assert publish["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build, deploy = publish["jobs"]["build"], publish["jobs"]["deploy"]
    assert any(step.get("run") == "make build" for step in build["steps"])
    assert any(step.get("uses", "").startswith("actions/upload-pages-artifact@") for step in build["steps"])
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"} and build["permissions"] == {"contents": "read"}
    # `make build` dates the build from the commit: same commit, same site.
    assert "SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct" in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_proposals_only_from_labelled_issues_with_the_body_in_env() -> None:
    job = load("proposition.yml")["jobs"]["convert"]
    assert job["if"] == "contains(github.event.issue.labels.*.name, 'proposition')"
    convert = next(step for step in job["steps"] if step.get("id") == "convert")
    assert convert["env"] == {"ISSUE_BODY": "${{ github.event.issue.body }}"}
    assert "scripts/proposal.py" in convert["run"]


def test_yamllint_accepts_every_sheet_in_the_house_style() -> None:
    yamllint = Path(sys.executable).parent / "yamllint"
    result = subprocess.run(
        [str(yamllint), "-c", str(ROOT / ".yamllint.yml"), "--strict", "practices", "tests/fixtures/small"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout
    # Not vacuous: tabs and a list indented the other way are caught.
    bad = subprocess.run(
        [str(yamllint), "-c", str(ROOT / ".yamllint.yml"), "--strict", "-"], input="title: X\nthemes:\n- a\n", capture_output=True, text=True, cwd=ROOT
    )
    assert bad.returncode != 0 and "indentation" in bad.stdout
