"""System checks of the project's own configuration."""

import os

from django.core import checks

#: settings that were replaced, and by what
REPLACED = {
    "ENROLMENT_CLIENT_IP_HEADER": "TRUSTED_PROXIES",
    "AXES_PROXY_COUNT": "TRUSTED_PROXIES",
}


@checks.register(checks.Tags.security)
def replaced_settings(app_configs, **kwargs):
    """A replaced variable still set in the environment does nothing any more: say so,
    rather than let an installation believe its proxy is configured."""
    return [
        checks.Warning(
            f"{old} has no effect any more; set {new} instead.",
            hint=(
                "TRUSTED_PROXIES: comma-separated addresses or networks of the proxies in "
                "front (e.g. 127.0.0.1 or 10.0.0.0/24); see docs/deployment.md."
            ),
            id="academy.W001",
        )
        for old, new in REPLACED.items()
        if os.environ.get(old)
    ]
