"""Docker HEALTHCHECK: healthy when this container's server answers (Rasa or action server)."""

import os
import sys
import urllib.request

CHECKS = (
    f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}/webhooks/rest/",
    f"http://127.0.0.1:{os.environ.get('ACTION_PORT', '5055')}/health",
)

for url in CHECKS:
    try:
        with urllib.request.urlopen(url, timeout=4) as response:
            if response.status == 200:
                sys.exit(0)
    except OSError:
        continue
sys.exit(1)
