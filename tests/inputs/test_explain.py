"""Issue 14: the inputs pages' heavy queries use their indexes (checked with EXPLAIN)."""

import pytest

from tests.core.explain import assert_uses_index
from tests.inputs.conftest import submit
from trepart.inputs import permissions
from trepart.inputs.models import Input
from trepart.inputs.selectors import _all_role_unit_ids, staff_inputs

pytestmark = pytest.mark.django_db


def test_newest_public_inputs_use_the_partial_index(unit, leader):
    for n in range(3):
        item, _code = submit(unit, text=f"Innspill nummer {n}")
        Input.objects.filter(pk=item.pk).update(public=True)
    # The query of staff_inputs()["public"], as the inputs page runs it.
    queryset = (
        permissions.inputs_visible_to(leader)
        .filter(public=True, hidden=False, unit_id__in=_all_role_unit_ids(leader))
        .exclude(author=leader)
        .order_by("-status_changed_on", "-id")[:50]
    )
    assert_uses_index(queryset, "input_public_recent")
    assert len(staff_inputs(leader)["public"]) == 3
