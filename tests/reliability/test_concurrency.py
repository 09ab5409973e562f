"""No lost updates: twenty editors racing on one record; every accepted change is in the record or its history."""

import threading

import pytest
from django.db import connection

from responsibilities import services
from responsibilities.common import EditConflict
from responsibilities.models import Organisation

pytestmark = pytest.mark.django_db(transaction=True)

EDITORS = 20


def test_twenty_concurrent_editors_lose_no_change(tree, office_staff):
    county_pk = tree["child"].pk
    start = threading.Barrier(EDITORS)
    accepted, conflicts, errors = [], [], []

    def edit(number):
        try:
            start.wait()
            for _attempt in range(EDITORS * 2):
                county = Organisation.objects.get(pk=county_pk)
                try:
                    saved = services.organisation_update(
                        organisation=county,
                        version=county.version,
                        parent=None,
                        by=office_staff,
                        name=f"编辑者{number:02d}",
                        short_name="",
                        code=county.code,
                        kind=county.kind,
                    )
                except EditConflict:
                    conflicts.append(number)  # someone saved first: read again, as a user would
                    continue
                accepted.append((number, saved.version))
                return
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(EDITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(accepted) == EDITORS
    assert conflicts, "the editors never collided, so the test proved nothing"
    county = Organisation.objects.get(pk=county_pk)
    # Each accepted save raised the version by exactly one: none overwrote another silently.
    assert sorted(version for _n, version in accepted) == list(range(2, EDITORS + 2))
    assert county.version == EDITORS + 1
    history = set(county.events.values_list("name", flat=True))
    assert {f"编辑者{n:02d}" for n, _v in accepted} <= history
    last_editor, _version = max(accepted, key=lambda pair: pair[1])
    assert county.name == f"编辑者{last_editor:02d}"
