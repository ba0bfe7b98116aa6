"""Who may take documents out for the archive (issue 13 part 4, P8).

- One document as PDF/A: whoever may read it, by the owning app's own permission functions
  (`meetings_visible_to`, `reports_visible_to`, `measures_visible_to`); see selectors.
- The package of a period: the municipal administrator, of their own municipality only.
"""

from __future__ import annotations

from trepart.organisation.permissions import is_municipal_admin


def can_export_package(user) -> bool:
    return is_municipal_admin(user)
