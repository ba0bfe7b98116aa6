"""Every user-facing string is translated into bokmål and nynorsk (P8)."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
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


def test_catalogues_hold_every_string_of_the_code(tmp_path):
    """A string marked for translation in the code or a template but missing from the
    catalogues would show in English to everyone (P8): extract the strings the way
    `makemessages` does, into a copy of the tree, and compare with the catalogues."""
    import os
    import shutil
    import subprocess
    import sys

    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext is needed for this check: 'sudo apt-get install gettext'.")
    root = LOCALE.parent
    for name in ["trepart", "templates", "locale"]:
        shutil.copytree(
            root / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
        )
    shutil.copy(root / "manage.py", tmp_path / "manage.py")
    env = dict(os.environ, DEBUG="1", TREPART_OFFLINE_COMMAND="1")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "nb", "--no-location", "-v0"],
        cwd=tmp_path,
        env=env,
        check=True,
    )
    extracted = polib.pofile(str(tmp_path / "locale/nb/LC_MESSAGES/django.po"))
    for language in ["nb", "nn", "en"]:
        po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
        known = {(e.msgctxt, e.msgid) for e in po if not e.obsolete}
        missing = [
            e.msgid for e in extracted if not e.obsolete and (e.msgctxt, e.msgid) not in known
        ]
        assert not missing, f"{language}: not in the catalogue: {missing[:10]}"
