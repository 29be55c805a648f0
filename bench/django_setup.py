"""Set up Django for the benchmark's helper scripts (settings come from the environment)."""

import django


def setup() -> None:
    django.setup()
