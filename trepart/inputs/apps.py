from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InputsConfig(AppConfig):
    name = "trepart.inputs"
    label = "inputs"
    verbose_name = _("Staff input")
