"""The reflection app's models, one module per part (exercises, telling the members)."""

from trepart.reflection.models.exercises import *  # noqa: F403
from trepart.reflection.models.members import *  # noqa: F403
