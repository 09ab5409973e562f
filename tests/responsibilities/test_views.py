"""Every page: anonymous → login, out of scope → 404, happy path, invalid input, flat query counts."""

from datetime import date

import pytest
from django.urls import reverse

from responsibilities import services
from responsibilities.models import Organisation, OrganisationKind, Person, PostLevel, TeamMembership, TeamRole
from tests.helpers import queries_for
from tests.responsibilities.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sibling_rows(tree):
    """A person and a membership in the sibling organisation: out of scope for the own-city roles."""
    person = PersonFactory(home_organisation=tree["sibling"])
    membership = TeamMembership.objects.create(
        organisation=tree["sibling"], person=person, role=TeamRole.MEMBER, start_date=date(2024, 1, 1)
    )
    return {"organisation": tree["sibling"], "person": person, "membership": membership}


def read_only_urls(rows):
    org, person = rows["organisation"].pk, rows["person"].pk
    return [
        reverse("responsibilities:organisation_detail", args=[org]),
        reverse("responsibilities:organisation_tree_children", args=[org]),
        reverse("responsibilities:person_detail", args=[person]),
    ]


def write_urls(rows):
    org, person, membership = rows["organisation"].pk, rows["person"].pk, rows["membership"].pk
    return [
        reverse("responsibilities:organisation_edit", args=[org]),
        reverse("responsibilities:organisation_archive", args=[org]),
        reverse("responsibilities:membership_add", args=[org]),
        reverse("responsibilities:membership_end", args=[membership]),
        reverse("responsibilities:person_edit", args=[person]),
        reverse("responsibilities:person_archive", args=[person]),
        reverse("responsibilities:organisation_create") + f"?parent={org}",
        reverse("responsibilities:person_create") + f"?organisation={org}",
    ]


def test_anonymous_is_sent_to_login_from_every_page(client, sibling_rows):
    urls = [
        reverse("home"),
        reverse("responsibilities:organisation_tree"),
        reverse("responsibilities:person_list"),
        *read_only_urls(sibling_rows),
        *write_urls(sibling_rows),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


def test_records_of_a_sibling_organisation_answer_404(client, office_staff, sibling_rows):
    client.force_login(office_staff)
    for url in read_only_urls(sibling_rows):
        assert client.get(url).status_code == 404, url
    for url in write_urls(sibling_rows):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"reason": "x", "version": 1}).status_code == 404, url


@pytest.mark.parametrize("name", ["organisation_edit", "organisation_archive", "membership_add"])
def test_read_only_roles_cannot_open_edit_pages_of_their_own_organisation(client, tree, inspector, name):
    client.force_login(inspector)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse(f"responsibilities:{name}", args=[tree["own"].pk])).status_code == 404


def test_login_page_logs_in_and_shows_home(client, office_staff):
    response = client.post(reverse("login"), {"username": "office", "password": "x"}, follow=True)
    assert response.status_code == 200
    assert "党建工作人员" in response.content.decode()


def test_login_with_wrong_password_shows_a_chinese_message(client, office_staff):
    response = client.post(reverse("login"), {"username": "office", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_home_flags_organisations_without_secretary(client, tree, office_staff):
    client.force_login(office_staff)
    page = client.get(reverse("home")).content.decode()
    assert "目前没有书记的班子" in page and "测试县委" in page


# ---- Organisation tree ----------------------------------------------------------------------


def test_tree_shows_own_subtree_only(client, tree, office_staff):
    client.force_login(office_staff)
    page = client.get(reverse("responsibilities:organisation_tree")).content.decode()
    assert "测试市委" in page and "测试县委" in page
    assert "测试省委" not in page and "兄弟市委" not in page


def test_tree_search_by_code_finds_the_organisation_with_its_ancestors(client, tree, office_staff):
    client.force_login(office_staff)
    response = client.get(reverse("responsibilities:organisation_tree"), {"q": "P-C-K"})
    hits = response.context["hits"]
    assert [hit.organisation.name for hit in hits] == ["测试县委"]
    assert [a.name for a in hits[0].ancestors] == ["测试省委", "测试市委"]


def test_tree_search_never_finds_a_sibling(client, tree, office_staff):
    client.force_login(office_staff)
    response = client.get(reverse("responsibilities:organisation_tree"), {"q": "兄弟"})
    assert response.context["hits"] == []


def test_tree_children_fragment_lists_children(client, tree, office_staff):
    client.force_login(office_staff)
    response = client.get(reverse("responsibilities:organisation_tree_children", args=[tree["own"].pk]))
    assert "测试县委" in response.content.decode()


def add_children(parent, count, by):
    for index in range(count):
        org = services.organisation_create(
            parent=parent, name=f"下级{index}", code=f"{parent.code}-{index}", kind=OrganisationKind.BRANCH, by=by
        )
        person = PersonFactory(home_organisation=org)
        services.membership_add(
            organisation=org, person=person, role=TeamRole.SECRETARY, start_date=date(2024, 1, 1), by=by
        )


def test_tree_query_count_does_not_grow_with_children(client, tree, office_staff, superuser):
    client.force_login(office_staff)
    url = reverse("responsibilities:organisation_tree")
    few = queries_for(client, url)
    add_children(tree["own"], 50, superuser)
    assert queries_for(client, url) == few


# ---- Organisation detail --------------------------------------------------------------------


def test_detail_shows_team_on_a_past_date(client, tree, office_staff):
    org = tree["own"]
    old = services.membership_add(
        organisation=org,
        person=PersonFactory(home_organisation=org, name="前任书记"),
        role=TeamRole.SECRETARY,
        start_date=date(2020, 1, 1),
        by=office_staff,
    )
    services.membership_end(membership=old, version=1, end_date=date(2024, 12, 31), by=office_staff)
    services.membership_add(
        organisation=org,
        person=PersonFactory(home_organisation=org, name="现任书记"),
        role=TeamRole.SECRETARY,
        start_date=date(2025, 1, 1),
        by=office_staff,
    )
    client.force_login(office_staff)
    url = reverse("responsibilities:organisation_detail", args=[org.pk])
    today = client.get(url).content.decode()
    past = client.get(url, {"on": "2024-06-01"}).content.decode()
    assert "现任书记" in today and "前任书记" not in today
    assert "前任书记" in past and "现任书记" not in past
    # Each term links to its history, where the end of the old one is shown.
    history_url = reverse("responsibilities:history", args=["membership", old.pk])
    assert f'href="{history_url}"' in past
    assert "2024-12-31" in client.get(history_url).content.decode()


def test_detail_with_a_malformed_date_shows_today_and_a_message(client, tree, office_staff):
    client.force_login(office_staff)
    response = client.get(reverse("responsibilities:organisation_detail", args=[tree["own"].pk]), {"on": "2024-13-45"})
    assert response.status_code == 200
    assert "日期格式不正确" in response.content.decode()


def test_detail_query_count_does_not_grow_with_team_and_children(client, tree, office_staff, superuser):
    org = tree["own"]
    client.force_login(office_staff)
    url = reverse("responsibilities:organisation_detail", args=[org.pk])
    services.membership_add(
        organisation=org,
        person=PersonFactory(home_organisation=org),
        role=TeamRole.SECRETARY,
        start_date=date(2024, 1, 1),
        by=superuser,
    )
    few = queries_for(client, url)
    for _ in range(49):
        services.membership_add(
            organisation=org,
            person=PersonFactory(home_organisation=org),
            role=TeamRole.MEMBER,
            start_date=date(2024, 1, 1),
            by=superuser,
        )
    add_children(org, 50, superuser)
    assert queries_for(client, url) == few


def test_edit_buttons_are_hidden_from_read_only_roles(client, tree, inspector):
    client.force_login(inspector)
    page = client.get(reverse("responsibilities:organisation_detail", args=[tree["own"].pk])).content.decode()
    assert "添加班子成员" not in page


# ---- Create, edit, archive organisations ----------------------------------------------------


def test_create_organisation_under_own_subtree(client, tree, office_staff):
    client.force_login(office_staff)
    response = client.post(
        reverse("responsibilities:organisation_create"),
        {
            "parent": tree["child"].pk,
            "name": "测试县教育局党组",
            "short_name": "县教育局",
            "code": "P-C-K-2",
            "kind": OrganisationKind.LEADING_GROUP,
        },
    )
    created = Organisation.objects.get(code="P-C-K-2")
    assert response.status_code == 302 and response.url == created.get_absolute_url()
    assert created.path.startswith(tree["child"].path)


def test_create_with_duplicate_code_shows_error_at_the_field(client, tree, office_staff):
    client.force_login(office_staff)
    before = Organisation.objects.count()
    response = client.post(
        reverse("responsibilities:organisation_create"),
        {
            "parent": tree["child"].pk,
            "name": "重复",
            "code": "P-C",
            "kind": OrganisationKind.COMMITTEE,
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"code": ["组织代码已被其他组织使用。"]}
    assert Organisation.objects.count() == before


def test_create_under_parent_outside_scope_is_refused_at_the_field(client, tree, office_staff):
    client.force_login(office_staff)
    response = client.post(
        reverse("responsibilities:organisation_create"),
        {
            "parent": tree["sibling"].pk,
            "name": "越权",
            "code": "X9",
            "kind": OrganisationKind.COMMITTEE,
        },
    )
    assert response.status_code == 400
    assert "parent" in response.context["form"].errors
    assert not Organisation.objects.filter(code="X9").exists()


def test_edit_cannot_make_an_organisation_its_own_ancestor(client, tree, office_staff, superuser):
    grandchild = services.organisation_create(
        parent=tree["child"], name="孙级", code="P-C-K-G", kind=OrganisationKind.BRANCH, by=superuser
    )
    client.force_login(office_staff)
    county = tree["child"]
    # The form does not even offer the subtree; a forged POST gets a field error.
    response = client.post(
        reverse("responsibilities:organisation_edit", args=[county.pk]),
        {
            "parent": grandchild.pk,
            "name": county.name,
            "code": county.code,
            "kind": county.kind,
            "version": 1,
        },
    )
    assert response.status_code == 400
    assert "parent" in response.context["form"].errors
    county.refresh_from_db()
    assert county.parent_path == tree["own"].path


def test_edit_over_a_newer_version_answers_409_and_keeps_the_input(client, tree, office_staff, superuser):
    county = tree["child"]
    services.organisation_update(
        organisation=county,
        version=1,
        parent=None,
        by=superuser,
        name="别人先改的名称",
        short_name="",
        code=county.code,
        kind=county.kind,
    )
    client.force_login(office_staff)
    response = client.post(
        reverse("responsibilities:organisation_edit", args=[county.pk]),
        {
            "parent": tree["own"].pk,
            "name": "我的修改",
            "code": county.code,
            "kind": county.kind,
            "version": 1,
        },
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "其他人已修改" in page and "别人先改的名称" in page and 'value="我的修改"' in page
    county.refresh_from_db()
    assert county.name == "别人先改的名称"


def test_archive_organisation_with_reason(client, tree, office_staff):
    client.force_login(office_staff)
    county = tree["child"]
    response = client.post(
        reverse("responsibilities:organisation_archive", args=[county.pk]), {"reason": "机构改革撤并", "version": 1}
    )
    assert response.status_code == 302
    county.refresh_from_db()
    assert county.is_archived and county.archived_by == office_staff


def test_archive_without_reason_is_refused(client, tree, office_staff):
    client.force_login(office_staff)
    response = client.post(
        reverse("responsibilities:organisation_archive", args=[tree["child"].pk]), {"reason": "", "version": 1}
    )
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    tree["child"].refresh_from_db()
    assert not tree["child"].is_archived


# ---- Team editing ---------------------------------------------------------------------------


def test_add_member_then_see_it_in_the_team(client, tree, office_staff):
    org = tree["own"]
    person = PersonFactory(home_organisation=org, name="孙委员")
    client.force_login(office_staff)
    response = client.post(
        reverse("responsibilities:membership_add", args=[org.pk]),
        {
            "person": person.pk,
            "role": TeamRole.MEMBER,
            "areas": "宣传",
            "start_date": "2025-01-01",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert [m.person.name for m in response.context["team"]] == ["孙委员"]


def test_add_second_secretary_shows_error_at_role_and_changes_nothing(client, tree, office_staff, secretary):
    org = tree["own"]
    client.force_login(office_staff)
    response = client.post(
        reverse("responsibilities:membership_add", args=[org.pk]),
        {
            "person": PersonFactory(home_organisation=org).pk,
            "role": TeamRole.SECRETARY,
            "start_date": "2025-01-01",
        },
    )
    assert response.status_code == 400
    assert "王书记" in response.context["form"].errors["role"][0]
    assert TeamMembership.objects.filter(organisation=org).count() == 1


def test_add_membership_ending_before_start_shows_error_at_end_date(client, tree, office_staff):
    org = tree["own"]
    client.force_login(office_staff)
    response = client.post(
        reverse("responsibilities:membership_add", args=[org.pk]),
        {
            "person": PersonFactory(home_organisation=org).pk,
            "role": TeamRole.MEMBER,
            "start_date": "2025-05-01",
            "end_date": "2025-04-01",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"end_date": ["任职结束日期不能早于开始日期。"]}
    assert not TeamMembership.objects.filter(organisation=org).exists()


def test_add_member_from_outside_the_subtree_is_refused(client, tree, office_staff):
    stranger = PersonFactory(home_organisation=tree["sibling"])
    client.force_login(office_staff)
    response = client.post(
        reverse("responsibilities:membership_add", args=[tree["own"].pk]),
        {
            "person": stranger.pk,
            "role": TeamRole.MEMBER,
            "start_date": "2025-01-01",
        },
    )
    assert response.status_code == 400
    assert "person" in response.context["form"].errors


def test_end_membership_keeps_it_in_the_history(client, tree, office_staff, secretary):
    membership = TeamMembership.objects.get(person__user=secretary)
    client.force_login(office_staff)
    response = client.post(
        reverse("responsibilities:membership_end", args=[membership.pk]),
        {"end_date": "2025-06-30", "reason": "调任", "version": membership.version},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.end_date == date(2025, 6, 30) and membership.end_reason == "调任"


def test_end_membership_before_its_start_is_refused_at_the_field(client, tree, office_staff, secretary):
    membership = TeamMembership.objects.get(person__user=secretary)
    client.force_login(office_staff)
    response = client.post(
        reverse("responsibilities:membership_end", args=[membership.pk]),
        {"end_date": "2023-12-31", "version": membership.version},
    )
    assert response.status_code == 400
    assert "end_date" in response.context["form"].errors
    membership.refresh_from_db()
    assert membership.end_date is None


# ---- People ---------------------------------------------------------------------------------


def test_people_list_filters_by_name_and_level(client, tree, office_staff):
    PersonFactory(home_organisation=tree["own"], name="甲某", post_level=PostLevel.COUNTY_CHIEF)
    PersonFactory(home_organisation=tree["child"], name="乙某", post_level=PostLevel.TOWNSHIP_CHIEF)
    PersonFactory(home_organisation=tree["sibling"], name="丙某", post_level=PostLevel.COUNTY_CHIEF)
    client.force_login(office_staff)
    url = reverse("responsibilities:person_list")
    names = lambda response: [p.name for p in response.context["page"]]  # noqa: E731
    assert sorted(names(client.get(url))) == ["乙某", "甲某"]
    assert names(client.get(url, {"post_level": PostLevel.COUNTY_CHIEF})) == ["甲某"]
    assert names(client.get(url, {"q": "乙"})) == ["乙某"]
    assert names(client.get(url, {"organisation": tree["child"].pk})) == ["乙某"]


def test_people_list_with_an_out_of_scope_filter_shows_the_error_not_the_rows(client, tree, office_staff):
    PersonFactory(home_organisation=tree["sibling"], name="丙某")
    client.force_login(office_staff)
    response = client.get(reverse("responsibilities:person_list"), {"organisation": tree["sibling"].pk})
    assert response.status_code == 200
    assert "organisation" in response.context["filter"].form.errors
    assert "丙某" not in response.content.decode()


def test_people_list_paginates_with_flat_query_count(client, tree, office_staff):
    client.force_login(office_staff)
    url = reverse("responsibilities:person_list")
    PersonFactory(home_organisation=tree["own"])
    few = queries_for(client, url)
    PersonFactory.create_batch(60, home_organisation=tree["child"])
    assert queries_for(client, url) == few
    second = client.get(url, {"page": 3})
    assert len(second.context["page"]) == 11


def test_person_detail_query_count_does_not_grow_with_memberships(client, tree, office_staff, superuser):
    person = PersonFactory(home_organisation=tree["own"])
    client.force_login(office_staff)
    url = reverse("responsibilities:person_detail", args=[person.pk])
    few = queries_for(client, url)
    for index in range(50):
        org = services.organisation_create(
            parent=tree["own"], name=f"机关{index}", code=f"M{index}", kind=OrganisationKind.BRANCH, by=superuser
        )
        services.membership_add(
            organisation=org, person=person, role=TeamRole.MEMBER, start_date=date(2024, 1, 1), by=superuser
        )
    assert queries_for(client, url) == few


def test_create_person(client, tree, office_staff):
    client.force_login(office_staff)
    response = client.post(
        reverse("responsibilities:person_create"),
        {
            "name": "周新",
            "post": "县委常委",
            "post_level": PostLevel.COUNTY_DEPUTY,
            "home_organisation": tree["child"].pk,
        },
    )
    person = Person.objects.get(name="周新")
    assert response.status_code == 302 and response.url == person.get_absolute_url()


def test_create_person_with_unknown_level_is_refused(client, tree, office_staff):
    client.force_login(office_staff)
    response = client.post(
        reverse("responsibilities:person_create"),
        {
            "name": "周新",
            "post": "县委常委",
            "post_level": 99,
            "home_organisation": tree["child"].pk,
        },
    )
    assert response.status_code == 400
    assert "post_level" in response.context["form"].errors
    assert not Person.objects.filter(name="周新").exists()


def test_edit_person(client, tree, office_staff):
    person = PersonFactory(home_organisation=tree["own"], name="旧名")
    client.force_login(office_staff)
    response = client.post(
        reverse("responsibilities:person_edit", args=[person.pk]),
        {
            "name": "新名",
            "post": "县委书记",
            "post_level": PostLevel.COUNTY_CHIEF,
            "home_organisation": tree["own"].pk,
            "version": person.version,
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.version) == ("新名", 2)


def test_archive_person_with_current_membership_is_refused(client, tree, office_staff, secretary):
    person = secretary.person
    client.force_login(office_staff)
    response = client.post(
        reverse("responsibilities:person_archive", args=[person.pk]), {"reason": "退休", "version": person.version}
    )
    assert response.status_code == 400
    assert "在任" in response.content.decode()
    person.refresh_from_db()
    assert not person.is_archived


def test_leader_can_see_own_person_page_but_not_edit_it(client, tree, leader):
    client.force_login(leader)
    assert client.get(reverse("responsibilities:person_detail", args=[leader.person.pk])).status_code == 200
    assert client.get(reverse("responsibilities:person_edit", args=[leader.person.pk])).status_code == 404


# ---- Language -------------------------------------------------------------------------------


def test_pages_render_in_chinese_by_default(client, tree, office_staff):
    client.force_login(office_staff)
    page = client.get(reverse("responsibilities:organisation_tree")).content.decode()
    assert '<html lang="zh-hans">' in page and "组织架构" in page


def test_pages_render_in_english_after_switching(client, tree, office_staff):
    client.force_login(office_staff)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("responsibilities:organisation_tree")).content.decode()
    assert '<html lang="en">' in page and "Organisations" in page and "组织架构" not in page


def test_home_query_count_does_not_grow_with_the_scope(client, tree, office_staff, superuser):
    client.force_login(office_staff)
    # The first visit stores the to-do count in the session (a write); later visits write it only when it changed.
    client.get(reverse("home"))
    few = queries_for(client, reverse("home"))
    add_children(tree["own"], 50, superuser)
    assert queries_for(client, reverse("home")) == few


def test_tree_children_fragment_query_count_does_not_grow(client, tree, office_staff, superuser):
    client.force_login(office_staff)
    url = reverse("responsibilities:organisation_tree_children", args=[tree["own"].pk])
    few = queries_for(client, url)
    add_children(tree["own"], 50, superuser)
    assert queries_for(client, url) == few


def test_leader_home_shows_own_seat_and_team(client, tree, secretary):
    client.force_login(secretary)
    page = client.get(reverse("home")).content.decode()
    assert "我的班子职务" in page and "王书记（书记）" in page


@pytest.mark.parametrize("model", ["organisation", "person", "teammembership", "assignment"])
def test_admin_lists_open_for_superuser_and_refuse_others(client, tree, superuser, office_staff, model):
    url = reverse(f"admin:responsibilities_{model}_changelist")
    client.force_login(office_staff)
    assert client.get(url).status_code == 302  # not staff: sent to the admin login
    client.force_login(superuser)
    assert client.get(url).status_code == 200


def test_office_staff_edit_their_own_top_organisation_without_moving_it(client, tree, office_staff):
    city = tree["own"]
    client.force_login(office_staff)
    form = client.get(reverse("responsibilities:organisation_edit", args=[city.pk])).context["form"]
    assert "parent" not in form.fields
    response = client.post(
        reverse("responsibilities:organisation_edit", args=[city.pk]),
        {
            "name": "测试市委（更名）",
            "code": city.code,
            "kind": city.kind,
            "version": city.version,
        },
    )
    assert response.status_code == 302
    city.refresh_from_db()
    assert city.name == "测试市委（更名）" and city.parent_path == tree["parent"].path
