"""Every write of the responsibilities app (see the modules for organisations/teams and for lists)."""

from core.services import require_scope, service  # noqa: F401
from responsibilities.services.lists import (  # noqa: F401
    evidence_upload,
    list_transition,
    lists_generate,
    lists_generate_subtree,
    progress_record,
    supervision_note_acknowledge,
    supervision_note_add,
    task_archive,
    task_create,
    task_issue,
    task_update,
    template_for,
    template_item_update,
    template_version_create,
)
from responsibilities.services.organisations import (  # noqa: F401
    assignment_grant,
    membership_add,
    membership_end,
    organisation_archive,
    organisation_archive_blocker,
    organisation_create,
    organisation_update,
    person_archive,
    person_create,
    person_update,
)
