"""The 责任书签收 tallies: kept by triggers as lists are made and signed and as what a signature
digests changes, always equal to a direct count (``tallies.signing_discrepancies``), read by the
roll-up (``signing_counts``), and moved with an organisation."""

import pytest

from responsibilities import services as list_services
from responsibilities import tallies
from responsibilities.models import ListKind, ResponsibilityList, SignedList, SigningTally, Task, TaskStatus
from responsibilities.selectors import duties as selectors
from responsibilities.services import duties as services
from tests.conftest import make_user
from tests.responsibilities.list_factories import THIS_YEAR, add_task, member_list_of
from tests.responsibilities.test_duties import submit

pytestmark = pytest.mark.django_db


def row(organisation):
    tally = SigningTally.objects.filter(organisation=organisation, year=THIS_YEAR).first()
    return (tally.lists, tally.signed, tally.as_is) if tally else (0, 0, 0)


def counted(organisation):
    """Lists, unsigned and changed of the organisation's subtree, counted directly from the lists
    and their signatures (each list's state read one at a time)."""
    lists = ResponsibilityList.objects.filter(organisation__path__startswith=organisation.path, year=THIS_YEAR).exclude(
        kind=ListKind.COMMITTEE
    )
    states = [selectors.signature_state_of(responsibility_list) for responsibility_list in lists]
    return (len(states), states.count("unsigned"), states.count("changed"))


@pytest.fixture
def signer(tree, superuser):
    user = make_user("signer", tree["child"], "leader", superuser)
    return user, member_list_of(tree["child"], user, superuser)


def test_lists_made_count_for_the_organisation_and_every_ancestor(tree, superuser, signer):
    # The county's secretary's list and the member's: personal lists only, not the committee's.
    personal = ResponsibilityList.objects.filter(organisation=tree["child"], year=THIS_YEAR).exclude(
        kind=ListKind.COMMITTEE
    )
    assert row(tree["child"]) == (personal.count(), 0, 0)
    assert row(tree["own"])[0] == counted(tree["own"])[0] >= personal.count()
    assert tallies.signing_discrepancies() == []


def test_signing_then_changing_then_reverting_a_task_moves_the_list_between_the_counts(tree, superuser, signer):
    user, own = signer
    task = add_task(own, superuser, title="开展谈心谈话", quantity=4)
    submit(own, superuser)
    lists = row(tree["child"])[0]
    services.list_sign(responsibility_list=own, by=user)
    assert row(tree["child"]) == (lists, 1, 1)
    assert row(tree["own"])[1:] == (1, 1)
    assert SignedList.objects.get(responsibility_list=own).as_is is True

    task.refresh_from_db()
    task = list_services.task_update(task=task, version=task.version, by=superuser, reason="调整", quantity=6)
    assert row(tree["child"]) == (lists, 1, 0)  # 签收后已修改
    assert counted(tree["child"]) == (lists, lists - 1, 1)
    task = list_services.task_update(task=task, version=task.version, by=superuser, reason="回改", quantity=4)
    assert row(tree["child"]) == (lists, 1, 1)  # as signed again: the digest is the signed one
    # Progress is not what the person signed for: the list stays signed as it stands.
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.IN_PROGRESS)
    assert row(tree["child"]) == (lists, 1, 1)
    assert tallies.signing_discrepancies() == []


def test_a_new_task_or_a_renamed_item_changes_a_signed_list_and_signing_again_counts_it_once(tree, superuser, signer):
    user, own = signer
    submit(own, superuser)
    services.list_sign(responsibility_list=own, by=user)
    lists = row(tree["child"])[0]
    add_task(own, superuser, title="新增任务", reason="年中增补")
    assert row(tree["child"]) == (lists, 1, 0)
    services.list_sign(responsibility_list=own, by=user)
    assert row(tree["child"]) == (lists, 1, 1)  # two signatures, one signed list
    item = own.items.get(number=1)
    item.title = "改过的事项"
    item.save()
    assert row(tree["child"]) == (lists, 1, 0)
    assert tallies.signing_discrepancies() == []


def test_the_rollup_reads_the_tallies_as_a_direct_count_would(tree, superuser, signer):
    user, own = signer
    submit(own, superuser)
    services.list_sign(responsibility_list=own, by=user)
    counts = selectors.signing_counts(tree["own"], [tree["child"]], THIS_YEAR)
    child = counts["children"][tree["child"].pk]
    assert (child.lists, child.unsigned, child.changed) == counted(tree["child"])
    assert (counts["subtree"].lists, counts["subtree"].unsigned, counts["subtree"].changed) == counted(tree["own"])
    assert counts["own"].lists == counted(tree["own"])[0] - counted(tree["child"])[0]


def test_a_wrong_count_is_found_and_the_rebuild_repairs_it(tree, signer):
    SigningTally.objects.filter(organisation=tree["own"]).update(signed=7)
    assert [d[0] for d in tallies.signing_discrepancies()] == ["signing"]
    tallies.rebuild_signing()
    assert tallies.signing_discrepancies() == []


def test_a_moved_organisation_takes_its_counts_to_its_new_ancestors(tree, superuser, signer):
    from responsibilities.services import organisations

    user, own = signer
    submit(own, superuser)
    services.list_sign(responsibility_list=own, by=user)
    moved = row(tree["child"])
    other = tree["sibling"]
    before = row(tree["own"])
    child = tree["child"]
    child.refresh_from_db()
    organisations.organisation_update(organisation=child, version=child.version, parent=other, by=superuser)
    assert row(other) == moved
    assert row(tree["own"]) == tuple(b - m for b, m in zip(before, moved, strict=True))
    assert tallies.signing_discrepancies() == []


def test_the_duty_summary_counts_the_lists_the_user_sees_from_the_kept_states(tree, superuser, office_staff, signer):
    user, own = signer
    submit(own, superuser)
    services.list_sign(responsibility_list=own, by=user)
    add_task(own, superuser, title="新增任务", reason="年中增补")
    lists = counted(tree["child"])[0]
    summary = selectors.subtree_signing(office_staff, tree["own"], THIS_YEAR)
    assert (summary.lists, summary.unsigned, summary.changed) == counted(tree["own"])
    assert summary.changed == 1 and summary.lists >= lists
    # Through the door: a user who sees none of these lists counts none.
    outsider = make_user("outsider", tree["sibling"], "office_staff", superuser)
    assert selectors.subtree_signing(outsider, tree["own"], THIS_YEAR).lists == 0
