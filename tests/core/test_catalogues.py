"""Every user-facing string is translated into bokmål and nynorsk (P8)."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_catalogue_is_complete(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not missing, f"{language}: untranslated: {missing[:10]}"
    assert not fuzzy, f"{language}: fuzzy: {fuzzy[:10]}"


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_placeholders_survive_translation(language):
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|\{\{ ?\w+ ?\}\}")
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    for entry in po.translated_entries():
        if entry.msgid_plural:
            expected = sorted(set(pattern.findall(entry.msgid_plural)))
            for text in entry.msgstr_plural.values():
                assert sorted(set(pattern.findall(text))) == expected or set(
                    pattern.findall(text)
                ) <= set(expected), entry.msgid
        else:
            assert sorted(pattern.findall(entry.msgstr)) == sorted(pattern.findall(entry.msgid)), (
                entry.msgid
            )
