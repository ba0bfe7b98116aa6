import re

from django.core.exceptions import ValidationError

_ID = re.compile(r"[0-9]{1,18}")  # fits a 64-bit primary key; no sign, no unicode digits


def posted_id(value) -> int | None:
    """An id sent in a form (a hidden `item`, …) as an int, or None when missing or junk: a
    lookup with it is then simply "not found" instead of a ValueError/OverflowError (a 500)."""
    value = (value or "").strip() if isinstance(value, str) else ""
    return int(value) if _ID.fullmatch(value) else None


def add_validation_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on a form: on its field where there is one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)
