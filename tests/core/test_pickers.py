"""The searchable pickers (core.pickers): scoped, paginated JSON; former cadres hidden unless asked
for; a constant number of queries; the form fields refuse what the picker would not offer."""

from datetime import date

import pytest
from django.urls import reverse

from responsibilities import services
from responsibilities.forms import MembershipForm, PersonForm
from responsibilities.models import TeamRole
from responsibilities.selectors.organisations import candidates_for_team
from tests.helpers import queries_for
from tests.responsibilities.factories import PersonFactory

pytestmark = pytest.mark.django_db


def picked(client, kind, **params):
    response = client.get(reverse("core:picker", args=[kind]), params)
    assert response.status_code == 200, response.content
    return response.json()


def names(answer):
    return [row["text"].split(" · ")[0] for row in answer["results"]]


def test_people_picker_offers_only_people_in_scope_matching_the_text(client, office_staff, tree):
    PersonFactory(name="张三", post="书记", home_organisation=tree["own"])
    PersonFactory(name="张三丰", post="副书记", home_organisation=tree["child"])
    PersonFactory(name="张三姐", post="书记", home_organisation=tree["sibling"])
    PersonFactory(name="李四", post="书记", home_organisation=tree["own"])
    client.force_login(office_staff)
    answer = picked(client, "people", q="张三")
    assert names(answer) == ["张三", "张三丰"]
    assert answer["more"] is False
    assert answer["results"][0]["text"] == "张三 · 书记（测试市委）"


def test_people_picker_within_an_organisation_is_its_subtree_and_404_outside_scope(client, office_staff, tree):
    PersonFactory(name="张三", home_organisation=tree["own"])
    PersonFactory(name="张三丰", home_organisation=tree["child"])
    client.force_login(office_staff)
    assert names(picked(client, "people", within=tree["child"].pk)) == ["张三丰"]
    outside = client.get(reverse("core:picker", args=["people"]), {"within": tree["sibling"].pk})
    assert outside.status_code == 404


def test_former_and_transferred_cadres_are_hidden_unless_asked_for(client, office_staff, tree, superuser):
    former = PersonFactory(name="赵原书记", home_organisation=tree["own"])
    seat = services.membership_add(
        organisation=tree["own"], person=former, role=TeamRole.SECRETARY, start_date=date(2020, 1, 1), by=superuser
    )
    services.membership_end(
        membership=seat, version=seat.version, end_date=date(2025, 6, 30), reason="调任", by=superuser
    )
    PersonFactory(name="赵现任", home_organisation=tree["own"])
    client.force_login(office_staff)
    assert names(picked(client, "people", q="赵")) == ["赵现任"]
    assert names(picked(client, "people", q="赵", former="1")) == ["赵现任", "赵原书记"]


def test_a_cadre_whose_old_seat_ended_but_who_holds_a_new_one_is_current(client, office_staff, tree, superuser):
    moved = PersonFactory(name="赵调任", home_organisation=tree["own"])
    old = services.membership_add(
        organisation=tree["own"], person=moved, role=TeamRole.SECRETARY, start_date=date(2020, 1, 1), by=superuser
    )
    services.membership_end(
        membership=old, version=old.version, end_date=date(2025, 6, 30), reason="调任", by=superuser
    )
    services.membership_add(
        organisation=tree["child"], person=moved, role=TeamRole.MEMBER, start_date=date(2025, 7, 1), by=superuser
    )
    client.force_login(office_staff)
    assert names(picked(client, "people", q="赵调")) == ["赵调任"]
    assert names(picked(client, "people", q="赵调任")) == ["赵调任"]  # three characters: the trigram index


def test_picker_pages_of_twenty_and_says_when_there_are_more(client, office_staff, tree):
    for number in range(45):
        PersonFactory(name=f"王{number:02d}", home_organisation=tree["own"])
    client.force_login(office_staff)
    first, third = picked(client, "people", q="王"), picked(client, "people", q="王", page=3)
    assert len(first["results"]) == 20 and first["more"] is True
    assert names(third) == ["王40", "王41", "王42", "王43", "王44"] and third["more"] is False


def test_picker_query_count_does_not_grow_with_matches(client, office_staff, tree):
    client.force_login(office_staff)
    url = reverse("core:picker", args=["people"]) + "?q=%E7%8E%8B"
    PersonFactory(name="王一", home_organisation=tree["own"])
    few = queries_for(client, url)
    for number in range(30):
        PersonFactory(name=f"王{number:02d}", home_organisation=tree["child"])
    assert queries_for(client, url) == few


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "x"}, "页码应是 1 至 500 之间的整数。"),
        ({"page": "0"}, "页码应是 1 至 500 之间的整数。"),
        ({"q": "长" * 51}, "搜索内容不能超过 50 个字。"),
        ({"within": "abc"}, "组织编号无效。"),
    ],
)
def test_bad_picker_input_is_a_chinese_400(client, office_staff, params, message):
    client.force_login(office_staff)
    response = client.get(reverse("core:picker", args=["people"]), params)
    assert response.status_code == 400
    assert response.json() == {"error": message}


def test_unknown_picker_kind_is_404(client, office_staff):
    client.force_login(office_staff)
    assert client.get(reverse("core:picker", args=["passwords"])).status_code == 404


def test_organisation_picker_for_changes_offers_the_subtree_the_user_may_change(client, leader, office_staff, tree):
    client.force_login(office_staff)
    assert [row["text"] for row in picked(client, "organisations-change", q="委")["results"]] == [
        "测试市委（P-C）",
        "测试县委（P-C-K）",
    ]
    client.force_login(leader)
    assert picked(client, "organisations-change", q="委")["results"] == []
    assert len(picked(client, "organisations", q="委")["results"]) == 2


def test_membership_form_renders_only_the_chosen_person_and_refuses_one_out_of_scope(tree):
    chosen = PersonFactory(name="钱一", home_organisation=tree["own"])
    PersonFactory(name="钱二", home_organisation=tree["own"])
    stranger = PersonFactory(name="孙外", home_organisation=tree["sibling"])
    form = MembershipForm(
        initial={"person": chosen.pk}, organisation=tree["own"], candidates=candidates_for_team(tree["own"])
    )
    html = str(form["person"])
    assert "钱一" in html and "钱二" not in html
    assert f'data-picker="/pick/people/?within={tree["own"].pk}"' in html
    assert "含已离任、调任干部" in html
    posted = MembershipForm(
        {"person": stranger.pk, "role": "member", "start_date": "2026-01-01"},
        organisation=tree["own"],
        candidates=candidates_for_team(tree["own"]),
    )
    assert not posted.is_valid()
    assert posted.errors["person"] == ["选择一个有效的选项： 该选择不在可用的选项中。"]


@pytest.mark.parametrize("posted", ["²", "١٢", "99999999999999999999", "-1"])
def test_a_posted_picker_value_that_is_not_a_key_redraws_with_the_field_error_not_a_500(tree, posted):
    form = MembershipForm(
        {"person": posted, "role": "member", "start_date": "2026-01-01"},
        organisation=tree["own"],
        candidates=candidates_for_team(tree["own"]),
    )
    assert not form.is_valid() and "person" in form.errors
    html = str(form["person"])
    assert html.count("<option") == 1  # the empty one: nothing is looked up for a value that is not a key


def test_person_form_home_organisation_is_a_picker_over_changeable_organisations(office_staff, tree):
    form = PersonForm(user=office_staff)
    html = str(form["home_organisation"])
    assert 'data-picker="/pick/organisations-change/"' in html
    assert "测试县委" not in html  # nothing chosen yet: no option but the empty one
    refused = PersonForm(
        {"name": "周", "post": "干部", "post_level": 30, "home_organisation": tree["sibling"].pk}, user=office_staff
    )
    assert not refused.is_valid() and "home_organisation" in refused.errors
