"""No lost updates: twenty editors racing on one record; every accepted change is in the record or its history.
Counts kept by triggers stay exact while tasks change and the overdue clock moves at the same time."""

import random
import threading
import time
from datetime import date

import pytest
from django.db import connection, connections, transaction

from core.models import EditConflict
from responsibilities import services, tallies
from responsibilities.models import Organisation, OverdueTally, Task, TaskStatus
from tests.responsibilities.list_factories import add_task, committee_list

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


def _waiting_on_a_lock(pid: int) -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row is not None and row[0] == "Lock"


def test_the_overdue_clock_waits_for_open_task_changes_and_counts_them(tree, superuser):
    listed = committee_list(tree["child"], superuser)
    year = listed.year
    tasks = [add_task(listed, superuser, deadline=date(year, 3, day)) for day in (1, 5, 9)]
    tallies.advance_clock(date(year, 3, 2))
    finished, errors, backend = threading.Event(), [], {}
    changing = threading.Event()

    def change_a_task():
        # Moves a task's deadline back so that it counts on the clock's day, and waits before committing.
        try:
            with transaction.atomic():
                services.task_update(task=tasks[2], version=tasks[2].version, by=superuser, deadline=date(year, 2, 1))
                changing.set()
                finished.wait(timeout=30)
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    def move_the_clock():
        try:
            changing.wait(timeout=30)
            backend["pid"] = connection.cursor().connection.info.backend_pid
            tallies.advance_clock(date(year, 3, 6))
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    changer, mover = threading.Thread(target=change_a_task), threading.Thread(target=move_the_clock)
    changer.start()
    mover.start()
    for _ in range(200):  # up to ten seconds for the mover to reach the lock
        if "pid" in backend and _waiting_on_a_lock(backend["pid"]):
            break
        time.sleep(0.05)
    waited = mover.is_alive() and _waiting_on_a_lock(backend.get("pid", 0))
    finished.set()
    changer.join()
    mover.join()

    assert errors == []
    assert waited, "moving the clock did not wait for the open task change"
    assert tallies.discrepancies() == []
    assert (
        OverdueTally.objects.get(organisation=listed.organisation_id, person=None).overdue_count == 3
    )  # 3-01, 3-05 and the moved one


def test_editors_and_clock_movers_racing_leave_exact_counts(tree, superuser):
    listed = committee_list(tree["child"], superuser)
    year = listed.year
    tasks = [add_task(listed, superuser, deadline=date(year, 1 + n % 12, 1 + n % 28)) for n in range(24)]
    tallies.advance_clock(date(year, 6, 1))
    start = threading.Barrier(6)
    errors = []

    def edit(number):
        try:
            start.wait()
            rng = random.Random(number)
            for task in tasks[number::4]:
                current = Task.objects.get(pk=task.pk)
                status = rng.choice([TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.DONE])
                services.task_update(
                    task=current,
                    version=current.version,
                    by=superuser,
                    status=status,
                    deadline=date(year, rng.randint(1, 12), rng.randint(1, 28)),
                )
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    def move(number):
        try:
            start.wait()
            rng = random.Random(100 + number)
            for _ in range(10):
                tallies.advance_clock(date(year, rng.randint(1, 12), rng.randint(1, 28)))
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(4)]
    threads += [threading.Thread(target=move, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert tallies.discrepancies() == []


def test_the_admin_refuses_to_save_over_a_newer_version(client, tree, superuser):
    from django.urls import reverse

    from responsibilities import services
    from responsibilities.models import Organisation

    client.force_login(superuser)
    org = tree["child"]
    url = reverse("admin:responsibilities_organisation_change", args=[org.pk])
    assert f'name="seen_version" value="{org.version}"' in client.get(url).content.decode()
    form = {
        "name": "测试县委（管理员改）",
        "short_name": "",
        "code": org.code,
        "kind": org.kind,
        "seen_version": org.version,
    }
    # Office staff rename it on the product page after the administrator opened the admin form.
    services.organisation_update(
        organisation=org, version=org.version, parent=tree["own"], by=superuser, name="测试县委（办公室改）"
    )
    refused = client.post(url, form)
    assert refused.status_code == 200 and "其他人已修改了这条记录" in refused.content.decode()
    assert Organisation.objects.get(pk=org.pk).name == "测试县委（办公室改）"
    # Reopened, the save goes through and raises the version, so a product form opened before notices.
    current = Organisation.objects.get(pk=org.pk)
    assert client.post(url, form | {"seen_version": current.version}).status_code == 302
    saved = Organisation.objects.get(pk=org.pk)
    assert (saved.name, saved.version) == ("测试县委（管理员改）", current.version + 1)


def test_the_versioned_admin_pages_carry_the_version(client, tree, superuser):
    from django.urls import reverse

    from accountability.models import Situation
    from tests.responsibilities.factories import PersonFactory

    client.force_login(superuser)
    person = PersonFactory(home_organisation=tree["own"])
    situation = Situation.objects.first()
    for url, record in (
        (reverse("admin:responsibilities_person_change", args=[person.pk]), person),
        (reverse("admin:accountability_situation_change", args=[situation.pk]), situation),
    ):
        page = client.get(url)
        assert page.status_code == 200
        assert f'name="seen_version" value="{record.version}"' in page.content.decode()


def test_two_changes_to_one_signed_list_at_once_leave_exact_signing_counts(tree, superuser):
    from responsibilities.models import SigningTally
    from responsibilities.services import duties
    from tests.conftest import make_user
    from tests.responsibilities.list_factories import THIS_YEAR, member_list_of

    user = make_user("signer", tree["child"], "leader", superuser)
    own = member_list_of(tree["child"], user, superuser)
    first, second = (add_task(own, superuser, title=title) for title in ("第一项任务", "第二项任务"))
    services.list_transition(responsibility_list=own, version=own.version, target="submitted", by=superuser)
    duties.list_sign(responsibility_list=own, by=user)
    finished, errors, backend = threading.Event(), [], {}
    changing = threading.Event()

    def change(task, hold):
        # The first change waits before committing; the second must wait for it on the signed list.
        try:
            if not hold:
                changing.wait(timeout=30)
                backend["pid"] = connection.cursor().connection.info.backend_pid
            with transaction.atomic():
                services.task_update(task=task, version=task.version, by=superuser, reason="调整", quantity=9)
                if hold:
                    changing.set()
                    finished.wait(timeout=30)
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    holder = threading.Thread(target=change, args=(first, True))
    other = threading.Thread(target=change, args=(second, False))
    holder.start()
    other.start()
    for _ in range(200):  # up to ten seconds for the second change to reach the lock
        if "pid" in backend and _waiting_on_a_lock(backend["pid"]):
            break
        time.sleep(0.05)
    waited = other.is_alive() and _waiting_on_a_lock(backend.get("pid", 0))
    finished.set()
    holder.join()
    other.join()

    assert errors == []
    assert waited, "the second change did not wait for the first on the signed list"
    assert tallies.signing_discrepancies() == []
    tally = SigningTally.objects.get(organisation=tree["child"], year=THIS_YEAR)
    assert (tally.signed, tally.as_is) == (1, 0)  # signed once, changed since
