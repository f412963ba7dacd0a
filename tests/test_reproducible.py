"""Same sources, same site: two builds of the same commit are byte-identical,
sitemap and search index included."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import cbor2

from knowledge.pagefind_bundle import canonicalize_bundle

from .conftest import ROOT
from .helpers import mkdocs_build


def digests(site: Path) -> dict[str, str]:
    return {path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(site.rglob("*")) if path.is_file()}


def test_two_builds_of_the_same_sources_are_byte_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for site in (first, second):
        result = mkdocs_build(ROOT / "practices", site)
        assert result.returncode == 0, result.stderr
    a, b = digests(first), digests(second)
    # Not vacuous: the files that used to differ are there.
    assert "sitemap.xml.gz" in a and "pagefind/pagefind-entry.json" in a
    assert sum(1 for name in a if name.startswith("pagefind/filter/")) >= 8
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []


def _filter_file(directory: Path, values: list[tuple[str, list[int]]]) -> None:
    raw = b"pagefind_dcd" + cbor2.dumps(["theme", values])
    (directory / "fr_0000000.pf_filter").write_bytes(gzip.compress(raw, mtime=1))


def test_filter_order_does_not_change_the_bundle(tmp_path: Path) -> None:
    bundles = []
    for order in (1, -1):
        bundle = tmp_path / str(order)
        (bundle / "filter").mkdir(parents=True)
        _filter_file(bundle / "filter", [("Emploi", [1, 4]), ("Insertion", [2])][::order])
        meta = b"pagefind_dcd" + cbor2.dumps(["1.5.2", [["fr_abc", 10]], [], [["theme", "fr_0000000"]], [], ["title"]])
        (bundle / "pagefind.fr_0123456789.pf_meta").write_bytes(gzip.compress(meta, mtime=order + 2))
        (bundle / "pagefind-entry.json").write_text(json.dumps({"version": "1.5.2", "languages": {"fr": {"hash": "fr_0123456789", "page_count": 1}}}))
        canonicalize_bundle(bundle)
        bundles.append(digests(bundle))
    assert bundles[0] == bundles[1]
    entry = json.loads((tmp_path / "1" / "pagefind-entry.json").read_text())
    meta_file = tmp_path / "1" / f"pagefind.{entry['languages']['fr']['hash']}.pf_meta"
    meta = cbor2.loads(gzip.decompress(meta_file.read_bytes())[12:])
    ((filter_name, filter_hash),) = meta[3]
    assert filter_name == "theme"
    stored = cbor2.loads(gzip.decompress((tmp_path / "1" / "filter" / f"{filter_hash}.pf_filter").read_bytes())[12:])
    assert stored == ["theme", [["Emploi", [1, 4]], ["Insertion", [2]]]]
