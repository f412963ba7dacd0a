"""Sharing: the card image and the Open Graph / Twitter meta of every page.

One card per page kind, not per page: a card drawn by Pillow takes tens of
milliseconds (README, « Sharing »), so one per practice would add minutes to
a build of 10,000 practices and megabytes to the site, for a picture that
would only repeat the page's title, which the link preview shows anyway. The
cards are drawn from the site's name and the kind's label with DejaVu Sans
(Debian's fonts-dejavu-core), with Pillow's basic layout engine and no
metadata in the PNG, so that the same sources give the same bytes.

The meta values are computed here, escaped once for a double-quoted
attribute. Titles and descriptions arrive as Material prints them, as HTML
text: generated pages hold them escaped already (``_macros.md.j2``), so they
are unescaped before being escaped again for the attribute.
"""

from __future__ import annotations

import html
import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urljoin

from PIL import Image, ImageDraw, ImageFont

from .slugs import slugify

__all__ = ["CARD_FOLDER", "CARD_SIZE", "FONT", "SHARE_KINDS", "Card", "card_png", "cards", "share_meta"]

CARD_SIZE = (1200, 630)
CARD_FOLDER = "assets/cartes"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
FONT_REGULAR = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
# Material's indigo (the site's primary colour) and its deep orange accent.
BACKGROUND = (63, 81, 181)
ACCENT = (255, 87, 34)
TEXT = (255, 255, 255)

# The kinds whose pages get the « Partager » button: one subject each, worth sending to someone.
SHARE_KINDS = frozenset({"Fiche", "Organisation", "Territoire", "Convention", "Public", "Champ de coopération", "Chapitre du guide", "Manifeste"})
# Pages without a kind of their own (home, lists, hand-written pages) share the site's card.
SITE_KINDS = frozenset({"Accueil", "Index", "Page"})
_LABELS = {"Fiche": "Fiche pratique"}
SITE_LABEL = "Guide, manifeste et fiches pratiques"


@dataclass(frozen=True)
class Card:
    """A card image of the site: its path in the site and what it says."""

    uri: str
    label: str


def _card(kind: str | None) -> Card:
    if kind is None or kind in SITE_KINDS:
        return Card(f"{CARD_FOLDER}/site.png", SITE_LABEL)
    return Card(f"{CARD_FOLDER}/{slugify(kind)}.png", _LABELS.get(kind, kind))


def cards(kinds: Iterable[str]) -> dict[str, Card]:
    """The card of each kind, and the site's (key ``""``), by kind."""
    return {"": _card(None), **{kind: _card(kind) for kind in sorted(set(kinds))}}


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Words on as few lines as fit ``width`` pixels."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


@cache
def card_png(site_name: str, label: str) -> bytes:
    """The card, 1200×630 PNG: the site's name, large, above the page kind's label."""
    if not FONT.is_file():
        raise FileNotFoundError(f"police introuvable : {FONT} (paquet Debian fonts-dejavu-core)")
    width, height = CARD_SIZE
    margin = 80
    image = Image.new("RGB", CARD_SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    basic = ImageFont.Layout.BASIC  # no system shaping library: the same pixels wherever Pillow's wheel runs
    title_font = ImageFont.truetype(str(FONT), 72, layout_engine=basic)
    label_font = ImageFont.truetype(str(FONT_REGULAR if FONT_REGULAR.is_file() else FONT), 44, layout_engine=basic)
    draw.rectangle((0, height - 24, width, height), fill=ACCENT)
    y = margin
    for line in _wrap(site_name, title_font, width - 2 * margin):
        draw.text((margin, y), line, font=title_font, fill=TEXT)
        y += 90
    draw.rectangle((margin, y + 30, margin + 120, y + 38), fill=ACCENT)
    y += 80
    for line in _wrap(label, label_font, width - 2 * margin):
        draw.text((margin, y), line, font=label_font, fill=TEXT)
        y += 58
    out = io.BytesIO()
    # No date, no text chunks: PNG bytes that depend on the pixels only.
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _attribute(text: str) -> str:
    """HTML text as Material prints it → the same text, escaped once for a double-quoted attribute."""
    return html.escape(html.unescape(text), quote=False).replace('"', "&quot;")


def share_meta(*, title: str, description: str, url: str, site_url: str, site_name: str, card: Card, article: bool) -> list[tuple[str, str, str]]:
    """(attribute name, property, escaped content) of each meta tag, in the order printed.

    ``title``, ``description`` and ``site_name`` are HTML text (as Material
    prints them); ``url`` is the page's canonical URL; the card's URL is made
    absolute from ``site_url``.
    """
    width, height = CARD_SIZE
    image = urljoin(site_url if site_url.endswith("/") else site_url + "/", card.uri)
    alt = f"{html.unescape(site_name)} — {card.label}"
    values = [
        ("property", "og:type", "article" if article else "website"),
        ("property", "og:site_name", site_name),
        ("property", "og:locale", "fr_FR"),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", url),
        ("property", "og:image", image),
        ("property", "og:image:type", "image/png"),
        ("property", "og:image:width", str(width)),
        ("property", "og:image:height", str(height)),
        ("property", "og:image:alt", html.escape(alt, quote=False)),
        ("name", "twitter:card", "summary_large_image"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
        ("name", "twitter:image", image),
        ("name", "twitter:image:alt", html.escape(alt, quote=False)),
    ]
    return [(attribute, name, _attribute(value)) for attribute, name, value in values]
