"""Repairs of the theme's invalid markup: only what is invalid changes."""

from __future__ import annotations

from knowledge import repair_theme_markup


def test_autocomplete_is_removed_from_checkboxes_only() -> None:
    html = (
        '<input class="md-toggle" type="checkbox" id="__drawer" autocomplete="off">'
        '<input autocomplete="off" type="checkbox" id="__search">'
        '<input type="text" name="query" autocomplete="off">'
    )
    assert repair_theme_markup(html) == (
        '<input class="md-toggle" type="checkbox" id="__drawer"><input type="checkbox" id="__search"><input type="text" name="query" autocomplete="off">'
    )


def test_empty_tabindex_is_removed_and_real_ones_kept() -> None:
    html = '<label class="md-nav__link" for="__nav_2" tabindex=""></label><label for="__nav_2" tabindex="0"></label><input id="__nav_2">'
    assert repair_theme_markup(html) == '<label class="md-nav__link" for="__nav_2"></label><label for="__nav_2" tabindex="0"></label><input id="__nav_2">'


def test_label_for_a_missing_control_loses_its_for() -> None:
    html = '<label class="md-nav__title" for="__toc">Table</label><label for="__drawer">Menu</label><input id="__drawer">'
    assert repair_theme_markup(html) == '<label class="md-nav__title">Table</label><label for="__drawer">Menu</label><input id="__drawer">'


def test_only_an_id_attribute_names_a_control() -> None:
    # « data-id » and « aria-id » end in « id= » but name nothing: the label still loses its « for ».
    html = '<label for="__toc">Table</label><div data-id="__toc"></div><span aria-id="__toc"></span>'
    assert repair_theme_markup(html) == '<label>Table</label><div data-id="__toc"></div><span aria-id="__toc"></span>'
