from django.apps import AppConfig


class DemoConfig(AppConfig):
    # No models and no pages: only the `load_demo` command and the modules it calls.
    name = "trepart.demo"
    label = "demo"
    verbose_name = "Demo"
