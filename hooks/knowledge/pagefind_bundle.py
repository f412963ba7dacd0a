"""Make Pagefind's output byte-reproducible.

Pagefind 1.5 writes its filter indexes in hash-map order, which changes from
one run to the next (Pagefind issue #638: "other files will still change,
such as the filter/metadata indexes"). The content is the same; only the order
of filters and of their values moves, and with it the file names, the
metadata index that lists them and the entry file that names the metadata.

This rewrites those files in sorted order and renames them from a hash of
their content, the way Pagefind names its files, so that two builds of the
same sources give the same bytes. Everything else Pagefind writes is already
stable and is left untouched.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import cbor2

__all__ = ["canonicalize_bundle"]

_SIGNATURE = b"pagefind_dcd"
# Positions in the metadata index (pf_meta) of Pagefind 1.5.
_META_VERSION, _META_FILTERS = 0, 3
_SUPPORTED = "1.5"


def _read(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(_SIGNATURE):
        raise ValueError(f"{path}: not a Pagefind index file")
    return cbor2.loads(raw[len(_SIGNATURE) :])


def _write(directory: Path, prefix: str, suffix: str, data: Any, hash_length: int) -> str:
    """Write ``data`` under a name made from its content; return the name's hash part."""
    raw = _SIGNATURE + cbor2.dumps(data)
    name = f"{prefix}_{hashlib.sha256(raw).hexdigest()[:hash_length]}"
    (directory / f"{name}{suffix}").write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    return name


def canonicalize_bundle(bundle: Path) -> None:
    """Rewrite ``bundle`` (a site's pagefind/ folder) so that its bytes depend only on its content."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    if not str(entry.get("version", "")).startswith(_SUPPORTED):
        raise ValueError(f"Pagefind {entry.get('version')} : format non pris en charge (attendu {_SUPPORTED}.x)")
    for language, info in entry["languages"].items():
        old_meta = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(old_meta)
        filters = []
        for name, old_hash in sorted(meta[_META_FILTERS]):
            old_file = bundle / "filter" / f"{old_hash}.pf_filter"
            filter_name, values = _read(old_file)
            # Page lists are already in page order; only the values move.
            values = sorted(([value, pages] for value, pages in values), key=lambda item: item[0])
            old_file.unlink()
            filters.append([name, _write(bundle / "filter", language, ".pf_filter", [filter_name, values], len(old_hash.split("_")[-1]))])
        meta[_META_FILTERS] = filters
        old_meta.unlink()
        info["hash"] = _write(bundle, f"pagefind.{language}", ".pf_meta", meta, len(info["hash"].split("_")[-1])).removeprefix("pagefind.")
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
