"""The user's own account: the name and role in the header, 修改密码 with Django's validators in
Chinese, and the 放大文字 option remembered per user."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from core.models import Preference

pytestmark = pytest.mark.django_db


def test_the_header_shows_the_users_name_and_role(client, office_staff):
    office_staff.first_name = "李小红"
    office_staff.save()
    client.force_login(office_staff)
    page = client.get(reverse("home")).content.decode()
    assert '<span data-testid="current-user">李小红</span>' in page
    assert '<span class="small opacity-75 account-role" data-testid="current-role">· 党建工作人员</span>' in page
    assert f'href="{reverse("password_change")}" data-testid="password-change-link">修改密码</a>' in page


def test_password_change_needs_a_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_weak_new_password_is_refused_with_djangos_validators_in_chinese(client, office_staff):
    client.force_login(office_staff)
    response = client.post(
        reverse("password_change"),
        {"old_password": "x", "new_password1": "1234567", "new_password2": "1234567"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["new_password2"] == [
        "密码太短：至少需要 10 个字符。",
        "这个密码太常见了。",
        "密码只包含数字。",
    ]
    office_staff.refresh_from_db()
    assert office_staff.check_password("x")


def test_a_wrong_old_password_is_refused_at_its_field(client, office_staff):
    client.force_login(office_staff)
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "红旗渠精神永放光芒2026", "new_password2": "红旗渠精神永放光芒2026"},
    )
    assert response.context["form"].errors["old_password"] == ["你的旧密码不正确。请重新输入。"]


def test_changing_the_password_keeps_the_user_logged_in(client, office_staff):
    client.force_login(office_staff)
    response = client.post(
        reverse("password_change"),
        {"old_password": "x", "new_password1": "红旗渠精神永放光芒2026", "new_password2": "红旗渠精神永放光芒2026"},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("password_change"), 302)]
    assert "密码已修改。" in response.content.decode()
    office_staff.refresh_from_db()
    assert office_staff.check_password("红旗渠精神永放光芒2026")


def test_large_text_is_remembered_for_the_user_across_logins(client, office_staff):
    client.force_login(office_staff)
    assert '<html lang="zh-hans">' in client.get(reverse("home")).content.decode()
    response = client.post(reverse("text_size"), {"large_text": "1", "next": "/people/"})
    assert response.status_code == 302 and response.url == "/people/"
    assert '<html lang="zh-hans" class="text-large">' in client.get(reverse("home")).content.decode()
    assert Preference.objects.get(user=office_staff).large_text is True

    # A new session (another device) starts with the stored choice.
    other = Client()
    other.post(reverse("login"), {"username": "office", "password": "x"})
    assert '<html lang="zh-hans" class="text-large">' in other.get(reverse("home")).content.decode()

    client.post(reverse("text_size"), {"large_text": "0", "next": "https://elsewhere.example/"})
    assert '<html lang="zh-hans">' in client.get(reverse("home")).content.decode()
    events = Preference.pgh_event_model.objects.filter(pgh_obj__user=office_staff).order_by("pgh_id")
    assert [(e.pgh_label, e.large_text) for e in events] == [("insert", True), ("update", False)]


def test_an_unsafe_next_goes_home(client, office_staff):
    client.force_login(office_staff)
    response = client.post(reverse("text_size"), {"large_text": "1", "next": "https://elsewhere.example/"})
    assert response.url == reverse("home")


def test_a_preference_is_each_users_own(office_staff, superuser):
    Preference.objects.create(user=office_staff, large_text=True)
    other = get_user_model().objects.create_user(username="another", password="x")
    assert list(Preference.objects.for_user(other)) == []
    assert [p.user for p in Preference.objects.for_user(office_staff)] == [office_staff]
