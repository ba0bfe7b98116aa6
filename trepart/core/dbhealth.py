"""Is this error a database that cannot be reached? (issue 15; used by the 503 page and the
background worker)."""

from __future__ import annotations

from django.db import InterfaceError, OperationalError


def is_database_unavailable(exc: BaseException | None) -> bool:
    """True for errors of a database that cannot be reached or a connection that broke.

    django.db.OperationalError covers "connection refused", "server closed the connection
    unexpectedly", "terminating connection due to administrator command" (a restart);
    InterfaceError covers a connection already closed. Also when such an error is the cause of
    another one (raised `from` it, or while handling it). The other OperationalErrors (a lock
    wait timed out, a deadlock, SQLite's "database is locked") pass too, and so does trying
    again a moment later: they are treated the same."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, (OperationalError, InterfaceError)):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False
