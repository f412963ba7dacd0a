"""Link previews: the card images and the Open Graph / Twitter meta of every page.

The cards are one per page kind, drawn at build time (knowledge/share.py);
the meta values are escaped exactly once, however hostile the title.
"""

from __future__ import annotations

import html
import io
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from PIL import Image

from knowledge.render import html_text
from knowledge.share import CARD_SIZE, Card, card_png, cards, share_meta

from .conftest import FIXTURES
from .helpers import mkdocs_build

HARMLESS = Path(__file__).parent / "hostile" / "harmless"
SITE_URL = "https://reseaux-emploi.github.io/bonnes-pratiques/"


class _Head(HTMLParser):
    """The meta tags (by property or name) and the canonical link of a page, decoded once as a browser does."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and (key := values.get("property") or values.get("name")):
            assert key not in self.meta or not key.startswith(("og:", "twitter:")), f"{key} twice"
            self.meta[key] = values.get("content") or ""
        if tag == "link" and values.get("rel") == "canonical":
            self.canonical = values.get("href")
        if tag == "script":
            self.scripts += 1


def head(path: Path) -> _Head:
    parser = _Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_card_is_a_png_of_the_declared_size_with_the_same_bytes_each_time() -> None:
    first = card_png.__wrapped__("Bonnes pratiques des réseaux de l'emploi", "Fiche pratique")
    again = card_png.__wrapped__("Bonnes pratiques des réseaux de l'emploi", "Fiche pratique")
    assert first == again
    assert first.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(first)) as image:
        assert image.size == CARD_SIZE and image.format == "PNG"
        # No date nor text chunk that could differ between builds.
        assert not set(image.info) - {"dpi", "gamma", "srgb"}, image.info
    assert card_png.__wrapped__("Bonnes pratiques des réseaux de l'emploi", "Organisation") != first


def test_one_card_per_kind_and_the_site_card_for_pages_without_one() -> None:
    found = cards(["Fiche", "Organisation", "Index", "Champ de coopération", "Fiche"])
    assert found[""] == found["Index"] == Card("assets/cartes/site.png", "Guide, manifeste et fiches pratiques")
    assert found["Fiche"] == Card("assets/cartes/fiche.png", "Fiche pratique")
    assert found["Champ de coopération"].uri == "assets/cartes/champ-de-cooperation.png"


def test_meta_values_are_escaped_once() -> None:
    hostile = '<script>alert("x")</script> l\'emploi & co'
    meta = share_meta(
        title=html_text(hostile),  # as the front matter holds it
        description="Texte <b>écrit</b> à la main",  # a hand-written page: HTML text, as Material prints it
        url=SITE_URL + "pratiques/x/",
        site_url=SITE_URL,
        site_name="Site",
        card=Card("assets/cartes/fiche.png", "Fiche pratique"),
        article=True,
    )
    page = "".join(f'<meta {attribute}="{name}" content="{content}">' for attribute, name, content in meta)
    parser = _Head()
    parser.feed(page)
    assert parser.meta["og:title"] == parser.meta["twitter:title"] == hostile
    assert parser.meta["og:description"] == "Texte <b>écrit</b> à la main"
    assert parser.meta["og:image"] == SITE_URL + "assets/cartes/fiche.png"
    assert parser.meta["og:type"] == "article" and parser.meta["og:locale"] == "fr_FR"
    assert "<script" not in page


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    practices = tmp_path_factory.mktemp("share") / "practices"
    shutil.copytree(FIXTURES / "small", practices)
    for sheet in HARMLESS.glob("*.yml"):
        shutil.copy(sheet, practices / sheet.name)
    site = practices.parent / "site"
    result = mkdocs_build(practices, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def test_a_hostile_title_stays_text_in_the_meta(hostile_site: Path) -> None:
    sheet = yaml.safe_load((HARMLESS / "balises-en-texte.yml").read_text(encoding="utf-8"))
    page = head(hostile_site / "pratiques" / "balises-en-texte" / "index.html")
    # Decoded once, the attribute is the contributor's text, character for character.
    assert page.meta["og:title"] == page.meta["twitter:title"] == sheet["title"].strip()
    assert page.meta["og:description"] == sheet["summary"].strip()
    # Not escaped twice either: no « &lt; » left after one decoding.
    assert "&lt;" not in page.meta["og:title"] and "&amp;" not in page.meta["og:description"]
    source = (hostile_site / "pratiques" / "balises-en-texte" / "index.html").read_text(encoding="utf-8")
    assert 'content="&lt;script&gt;window.__hostile = &quot;titre&quot;' in source
    assert html.unescape(page.meta["og:image:alt"]) == page.meta["og:image:alt"]


def test_every_page_has_the_meta_with_its_canonical_url_and_an_existing_card(hostile_site: Path) -> None:
    pages = sorted(p for p in hostile_site.rglob("index.html") if not p.is_relative_to(hostile_site / "pagefind"))
    assert len(pages) > 20
    for path in pages:
        page = head(path)
        meta = page.meta
        assert meta["og:url"] == page.canonical and meta["og:url"].startswith(SITE_URL), path
        assert meta["og:locale"] == "fr_FR" and meta["twitter:card"] == "summary_large_image", path
        assert meta["og:title"] and meta["og:description"] and meta["og:site_name"], path
        image = meta["og:image"]
        assert image.startswith(SITE_URL) and meta["twitter:image"] == image, path
        card = hostile_site / urlsplit(image).path.removeprefix(urlsplit(SITE_URL).path)
        with Image.open(card) as drawn:
            assert drawn.size == (int(meta["og:image:width"]), int(meta["og:image:height"])), path
    home = head(hostile_site / "index.html").meta
    assert home["og:title"] == "Bonnes pratiques des réseaux de l'emploi" and home["og:type"] == "website"
    practice = head(hostile_site / "pratiques" / "parrainage-jeunes" / "index.html").meta
    assert practice["og:image"].endswith("/assets/cartes/fiche.png") and practice["og:type"] == "article"


def test_the_share_button_has_its_place_on_subject_pages_only(hostile_site: Path) -> None:
    assert "data-kb-share" in (hostile_site / "pratiques" / "parrainage-jeunes" / "index.html").read_text(encoding="utf-8")
    assert "data-kb-share" in (hostile_site / "organisations" / "operateur-c" / "index.html").read_text(encoding="utf-8")
    for listing in ("index.html", "pratiques/index.html", "recherche/index.html"):
        assert "data-kb-share" not in (hostile_site / listing).read_text(encoding="utf-8"), listing
