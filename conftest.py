"""Root conftest: runs before Django is set up."""

import os

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# ORM calls from it (SynchronousOnlyOperation) when live_server starts.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
