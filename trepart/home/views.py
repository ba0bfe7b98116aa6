from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from trepart.home.selectors import home_for


@login_required
def home(request):
    """What needs me: from the person's roles; empty states explain what will appear."""
    if request.user.municipality_id is None:
        if request.user.is_staff:
            return redirect("admin:index")
        raise PermissionDenied
    return render(request, "home/home.html", home_for(request.user))


@login_required
def ping(request):
    """A minimal logged-in page: the whole middleware stack and the base layout, no data.

    Load balancers can use it to check that sessions work, and `make bench` measures every page
    against it (the floor, P8)."""
    return render(request, "home/ping.html")
