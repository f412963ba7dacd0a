"""The benchmark's synthetic knowledge bases are valid and reproducible."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from knowledge import build_pages, load_knowledge_base

from .support.synthetic import count_words, read_vocabulary, write_synthetic


def test_synthetic_knowledge_base_is_valid_and_seeded(tmp_path: Path) -> None:
    write_synthetic(tmp_path / "a", 60, seed=3)
    write_synthetic(tmp_path / "b", 60, seed=3)
    kb = load_knowledge_base(tmp_path / "a")
    assert len(kb.practices) == 60
    assert len(kb.organisations) >= 100 and len(kb.territories) >= 100 and len(kb.themes) >= 24
    # Pathways and the spread of practices are exercised at scale too.
    assert kb.pathways and any(p.data.inspired_by for p in kb.practices.values()) and any(p.data.spread for p in kb.practices.values())
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.yml"))
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.yml"))
    for path in files:
        assert (tmp_path / "a" / path).read_bytes() == (tmp_path / "b" / path).read_bytes()
    assert len(build_pages(tmp_path / "a")) > 60


def test_count_words_reads_running_text_only(tmp_path: Path) -> None:
    (tmp_path / "une-fiche.yml").write_text(
        "title: L’emploi des jeunes\nthemes: [emploi-des-jeunes]\nsummary: Des jeunes, des métiers et l'emploi.\nreviewed: 2024-01-02\n", encoding="utf-8"
    )
    assert count_words(tmp_path) == Counter({"l": 2, "emploi": 2, "des": 3, "jeunes": 2, "métiers": 1, "et": 1})


def test_synthetic_text_has_the_word_frequencies_of_the_real_sheets(tmp_path: Path) -> None:
    real = dict(read_vocabulary())
    write_synthetic(tmp_path, 80, seed=1)
    synthetic = count_words(tmp_path)
    head = [word for word, _ in synthetic.most_common(5)]
    assert set(head) <= set(list(real)[:12]), head
    # « de » is to « emploi » in the synthetic sheets about what it is in the real ones.
    real_ratio = real["de"] / real["emploi"]
    assert 0.6 * real_ratio < synthetic["de"] / synthetic["emploi"] < 1.6 * real_ratio
    # Made-up words make the long tail: about half the distinct words are rare (0.47 to 0.51 over seeds 1 to 5).
    assert sum(1 for count in synthetic.values() if count <= 3) > 0.4 * len(synthetic)
