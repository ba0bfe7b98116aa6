"""Tenant scoping helpers: every tenant-owned lookup goes through the user's municipality.

An object of another municipality is a 404, never a 403 (ARCHITECTURE rule 3).
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404


def municipality_member_required(view):
    """Logged in and belonging to a municipality (platform operators have none)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.municipality_id is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def get_in_municipality_or_404(queryset, user, **lookup):
    """Fetch one object of the user's municipality; anything else is a 404."""
    if user.municipality_id is None:
        raise PermissionDenied
    return get_object_or_404(queryset.filter(municipality_id=user.municipality_id), **lookup)
