"""What the overview part contributes to lower apps' pages and jobs (trepart.core.hooks)."""


def register() -> None:
    pass
