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


RULE_NUMBER = __import__("re").compile(r"\bR\d{1,2}\b")


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_no_rule_numbers_in_the_interface(language):
    """Rule numbers (R13) belong in code and tests; the interface says the reason in words."""
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    texts = [e.msgstr for e in po] + [t for e in po for t in e.msgstr_plural.values()]
    offenders = [t for t in texts if RULE_NUMBER.search(t)]
    assert not offenders, offenders[:5]


def test_no_rule_numbers_in_templates():
    import re

    templates = Path(__file__).resolve().parents[2] / "templates"
    comment = re.compile(r"\{#.*?#\}", re.S)
    offenders = []
    for path in templates.rglob("*.html"):
        text = comment.sub("", path.read_text())
        if RULE_NUMBER.search(text) or "rule_ref" in text:
            offenders.append(str(path.relative_to(templates)))
    assert not offenders, offenders
