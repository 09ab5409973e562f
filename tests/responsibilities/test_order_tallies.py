"""督办 counts in the roll-up (issued / answered / closed / overdue per subtree) come from counts the
database keeps, and always equal a direct count of the replies: after issuing, answering, returning,
closing and moving an organisation, and on the day after a deadline."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from responsibilities import rules, services, tallies
from responsibilities.models import OrderTally, Organisation, ReplyStatus, Role, SupervisionReply
from responsibilities.selectors import lists as selectors
from responsibilities.services import orders as order_services
from tests.conftest import make_user
from tests.helpers import on_day, queries_for

pytestmark = pytest.mark.django_db


def direct_orders(organisation: Organisation, year: int, today: date, *, own_only=False) -> rules.OrderCounts:
    replies = SupervisionReply.objects.filter(order__reply_by__year=year)
    if own_only:
        replies = replies.filter(organisation=organisation)
    else:
        replies = replies.filter(organisation__path__startswith=organisation.path)
    counted = replies.aggregate(
        issued=Count("pk"),
        answered=Count("pk", filter=Q(status=ReplyStatus.ANSWERED)),
        closed=Count("pk", filter=Q(status=ReplyStatus.CLOSED)),
        overdue=Count(
            "pk", filter=Q(status__in=[ReplyStatus.WAITING, ReplyStatus.RETURNED], order__reply_by__lt=today)
        ),
    )
    return rules.OrderCounts(**counted)


def assert_rollups_match_direct_counts(year, today):
    for organisation in Organisation.objects.all():
        rollup = selectors.rollup(organisation, year, today)
        assert rollup.subtree_orders == direct_orders(organisation, year, today)
        assert rollup.own_orders == direct_orders(organisation, year, today, own_only=True)
        for row in rollup.rows:
            assert row.orders == direct_orders(row.organisation, year, today)


@pytest.fixture
def staff(tree, superuser):
    return {
        "province": make_user("province_office", tree["parent"], Role.OFFICE_STAFF, superuser),
        "city": make_user("city_office", tree["own"], Role.OFFICE_STAFF, superuser),
        "county": make_user("county_office", tree["child"], Role.OFFICE_STAFF, superuser),
        "sibling": make_user("sibling_office", tree["sibling"], Role.OFFICE_STAFF, superuser),
    }


def issue(issuer, recipients, by, days):
    return order_services.order_issue(
        issuer=issuer,
        recipients=recipients,
        title="督办事项",
        subject="other",
        text="请反馈。",
        reply_by=timezone.localdate() + timedelta(days=days),
        by=by,
    )


def reply_of(order, organisation):
    return SupervisionReply.objects.get(order=order, organisation=organisation)


def test_order_counts_equal_a_direct_count_through_every_step_and_a_move(tree, superuser, staff):
    today = timezone.localdate()
    first = issue(tree["parent"], [tree["own"], tree["child"], tree["sibling"]], staff["province"], 3)
    second = issue(tree["own"], [tree["child"]], staff["city"], 10)
    year_of = {first.reply_by.year, second.reply_by.year}
    for year in year_of:
        assert_rollups_match_direct_counts(year, today)

    county_reply = reply_of(first, tree["child"])
    county_reply = order_services.order_answer(
        reply=county_reply, version=county_reply.version, answer="已落实", by=staff["county"]
    )
    order_services.order_close(reply=county_reply, version=county_reply.version, accept=True, by=staff["province"])
    sibling_reply = reply_of(first, tree["sibling"])
    sibling_reply = order_services.order_answer(
        reply=sibling_reply, version=sibling_reply.version, answer="已落实", by=staff["sibling"]
    )
    order_services.order_close(
        reply=sibling_reply, version=sibling_reply.version, accept=False, reason="材料不全", by=staff["province"]
    )
    city_second = reply_of(second, tree["child"])
    order_services.order_answer(reply=city_second, version=city_second.version, answer="已落实", by=staff["county"])

    # Literal figures for the province's whole subtree: four replies; one answered (the county's
    # answer to the city), one closed; on the day after the first deadline, the city's and the
    # sibling's (returned) answers to the first are overdue.
    late = first.reply_by + timedelta(days=1)
    province = selectors.rollup(tree["parent"], first.reply_by.year, late)
    if first.reply_by.year == second.reply_by.year:
        assert province.subtree_orders == rules.OrderCounts(issued=4, answered=1, closed=1, overdue=2)
    for day in (today, late):
        for year in year_of:
            assert_rollups_match_direct_counts(year, day)

    county = Organisation.objects.get(pk=tree["child"].pk)
    services.organisation_update(organisation=county, version=county.version, parent=tree["sibling"], by=superuser)
    for year in year_of:
        assert_rollups_match_direct_counts(year, late)
    assert tallies.order_discrepancies() == []


def test_rebuild_recounts_what_a_direct_count_says(tree, staff):
    issue(tree["parent"], [tree["own"], tree["child"]], staff["province"], 3)
    OrderTally.objects.update(reply_count=0)
    assert len(tallies.order_discrepancies()) > 0
    tallies.rebuild_orders()
    assert tallies.order_discrepancies() == []


def test_the_roll_up_page_shows_order_counts_in_constant_queries(client, tree, staff):
    client.force_login(staff["province"])
    url = reverse("responsibilities:organisation_detail", args=[tree["parent"].pk])
    order = issue(tree["parent"], [tree["own"]], staff["province"], 3)
    url += f"?year={order.reply_by.year}"
    one = queries_for(client, url)
    page = client.get(url).content.decode()
    assert 'data-testid="subtree-orders"' in page and "督办 1 · 已反馈待办结 0 · 已办结 0 · 逾期未反馈 0" in page
    for _ in range(5):
        issue(tree["parent"], [tree["own"], tree["child"], tree["sibling"]], staff["province"], 3)
    assert queries_for(client, url) == one
    page = client.get(url).content.decode()
    assert "督办 16 · 已反馈待办结 0 · 已办结 0 · 逾期未反馈 0" in page
    assert 'data-orders="issued">11</td>' in page  # the city: 1 + 5 to it + 5 to its county


@on_day(date(2026, 6, 15))
def test_the_roll_up_export_carries_the_order_counts_of_each_row(client, tree, staff, time_machine):
    first = issue(tree["parent"], [tree["own"], tree["sibling"]], staff["province"], 3)
    issue(tree["own"], [tree["child"]], staff["city"], 3)
    answered = reply_of(first, tree["sibling"])
    order_services.order_answer(reply=answered, version=answered.version, answer="已整改。", by=staff["sibling"])
    time_machine.move_to(date(2026, 6, 20))  # both deadlines (18 June) passed
    client.force_login(staff["province"])
    response = client.get(
        reverse("responsibilities:rollup_export", args=[tree["parent"].pk]), {"year": first.reply_by.year}
    )
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = {row[0]: row[8:12] for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]}
    # issued, answered, closed, overdue
    assert rows["测试市委"] == (2, 0, 0, 2)  # its own and its county's, both unanswered
    assert rows["兄弟市委"] == (1, 1, 0, 0)
    assert rows["合计"] == (3, 1, 0, 2)
