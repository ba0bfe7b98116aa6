"""Issue 13 point 7: `manage.py check --deploy` is clean with the documented production settings.

The environment is read from docs/deployment.md (the block after the `production-env` marker),
so the documentation and this test cannot drift apart.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOYMENT = ROOT / "docs" / "deployment.md"


def documented_environment() -> dict[str, str]:
    """The variables of the environment file in docs/deployment.md."""
    text = DEPLOYMENT.read_text()
    marker = text.index("<!-- production-env")
    block = re.search(r"```sh\n(.*?)```", text[marker:], re.S)
    assert block, "docs/deployment.md: no ```sh block after the production-env marker"
    env = {}
    for line in block.group(1).splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, value = line.partition("=")
        env[name] = value
    return env


def production_env(**overrides: str) -> dict[str, str]:
    """The documented environment, runnable here: a real random key and this machine's
    database (checks do not connect to it), nothing inherited from the test settings."""
    inherited = {
        k: v
        for k, v in os.environ.items()
        if k in ("PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH", "VIRTUAL_ENV", "TMPDIR")
    }
    env = {**inherited, **documented_environment()}
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env["DATABASE_URL"] = os.environ.get("DATABASE_URL", "sqlite:////tmp/trepart-deploy-check.db")
    env["DJANGO_SETTINGS_MODULE"] = "trepart.settings"
    env.update(overrides)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_documented_environment_covers_the_security_settings():
    env = documented_environment()
    for name in (
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "DATABASE_URL",
        "STATIC_ROOT",
        "BEHIND_TLS_PROXY",
        "SECURE_SSL_REDIRECT",
        "SECURE_COOKIES",
        "SECURE_HSTS_SECONDS",
        "EMAIL_HOST",
        "SITE_URL",
    ):
        assert name in env, f"docs/deployment.md's environment file lacks {name}"
    assert env["DEBUG"] == "0"
    assert int(env["SECURE_HSTS_SECONDS"]) >= 31536000


def test_check_deploy_is_clean_with_the_documented_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout, result.stdout + result.stderr


def test_check_deploy_warns_without_them():
    """The check is real: without https redirect and HSTS it does complain."""
    env = production_env(SECURE_SSL_REDIRECT="0", SECURE_HSTS_SECONDS="0", SECURE_COOKIES="0")
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr + result.stdout, check


def test_production_settings_with_the_documented_environment():
    """The values Django ends up with, printed by a fresh process with that environment."""
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,"
        " s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_PROXY_SSL_HEADER, s.SECURE_REFERRER_POLICY,"
        " s.SECURE_CROSS_ORIGIN_OPENER_POLICY, s.WHITENOISE_USE_FINDERS, s.STATIC_ROOT)"
    )
    result = manage("shell", "--no-imports", "-c", code, env=production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "False",
        "True",
        "31536000",
        "True",
        "True",
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "same-origin",
        "same-origin",
        # Issue 13: only collected files are served in production, never node_modules.
        "False",
        documented_environment()["STATIC_ROOT"],
    ]


def test_content_security_policy_has_no_unsafe_sources():
    from django.conf import settings

    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    for name, sources in directives.items():
        for source in sources:
            assert "unsafe" not in str(source), f"{name} allows {source}"
    assert "csp.middleware.CSPMiddleware" in settings.MIDDLEWARE
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]


# Templates that are not web pages, so the policy does not apply: e-mails, the HTML WeasyPrint
# turns into PDF files, and the readable page inside a person's data download (opened from disk).
NOT_WEB_PAGES = (
    "/email/",
    "/export/",
    "/pdf/",
    "templates/notifications/email.html",
    "templates/notifications/digest.html",
    "templates/personaldata/export_index.html",
)
INLINE = [
    (re.compile(r"""\sstyle\s*=\s*["']""", re.I), "a style attribute"),
    (re.compile(r"<style(?![^>]*\snonce=)", re.I), "a <style> element without the nonce"),
    (
        re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*\snonce=)(?![^>]*application/json)", re.I),
        "an inline <script> without the nonce",
    ),
    (re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I), "an on…= event handler"),
    (re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I), "a javascript: URL"),
]


def test_templates_have_nothing_inline_the_policy_refuses():
    """Issue 13: the CSP has no 'unsafe-inline', so a page may not carry inline styles, inline
    scripts or event handlers (they would silently not work). Styles go in static/css, scripts
    in static/js; what truly must be inline carries nonce="{{ request.csp_nonce }}"."""
    found = []
    for template in sorted((ROOT / "templates").rglob("*.html")):
        relative = "/" + str(template.relative_to(ROOT))
        if any(part in relative for part in NOT_WEB_PAGES):
            continue
        # Django comments ({# … #}) may talk about <style> or <script>; they are not sent.
        text = re.sub(r"\{#.*?#\}", "", template.read_text())
        for number, line in enumerate(text.splitlines(), start=1):
            for pattern, what in INLINE:
                if pattern.search(line):
                    found.append(f"{relative[1:]}:{number}: {what}")
    assert not found, "Inline code the Content Security Policy refuses:\n" + "\n".join(found)
