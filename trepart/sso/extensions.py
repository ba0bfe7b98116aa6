"""What this app contributes to lower apps' pages and jobs (see trepart.core.hooks)."""


def register() -> None:
    """Called from the app's AppConfig.ready()."""
    from trepart.core import hooks
    from trepart.sso import contributions as c

    hooks.register(hooks.LOGIN_OPTIONS, c.login_options)
    hooks.register(hooks.PASSWORD_LOGIN_REFUSAL, c.password_login_refusal)
    hooks.register(hooks.MANAGE_CARDS, c.manage_card)
    hooks.register(hooks.OWN_PAGE_PANELS, c.own_page_panel)
