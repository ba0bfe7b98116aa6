"""What the handover part contributes to other apps' pages and jobs (trepart.core.hooks)."""


def register() -> None:
    """Register this part's hook functions."""
