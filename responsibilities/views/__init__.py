"""Pages of the responsibilities app; one module per area."""

from responsibilities.views.organisations import login_view  # noqa: F401
