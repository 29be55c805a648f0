"""Set up Django for the benchmark's helper scripts (settings come from the environment)."""

import django


def setup() -> None:
    django.setup()


def model(name: str):
    """A model by its class name, whichever app holds it (apps move between releases)."""
    from django.apps import apps

    for candidate in apps.get_models():
        if candidate.__name__ == name:
            return candidate
    raise LookupError(f"no installed model named {name}")
