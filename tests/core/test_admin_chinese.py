"""The admin is fully Chinese (issue 16, item 8): every app and model on its index, the login log of
django-axes included; the task queue's English admin is left out; the lockout page is Chinese."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LATIN = re.compile(r"[A-Za-z]")


def test_every_app_and_model_on_the_admin_index_is_named_in_chinese(client, superuser):
    client.force_login(superuser)
    page = client.get(reverse("admin:index")).content.decode()
    apps = re.findall(r"<caption>\s*<a [^>]*>([^<]+)</a>", page)
    models = re.findall(r'<th scope="row"[^>]*>\s*<a [^>]*>([^<]+)</a>', page)
    assert "登录记录与锁定" in apps and "登录尝试" in models and "登录记录" in models
    assert [name for name in apps + models if LATIN.search(name)] == []
    hidden = re.findall(r'<thead class="visually-hidden">.*?</thead>', page, re.S)[0]
    assert "模型名称" in hidden and not LATIN.search(re.sub(r"<[^>]+>", "", hidden))
    assert "Procrastinate" not in page


def test_the_axes_login_log_pages_are_chinese(client, superuser):
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username="office",
        ip_address="10.0.0.1",
        user_agent="Mozilla",
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/accounts/login/",
        failures_since_start=2,
    )
    client.force_login(superuser)
    page = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    headers = re.findall(
        r'<th scope="col"[^>]*>\s*(?:<div class="sortoptions">.*?</div>\s*)?'
        r'<div class="text">(?:<a [^>]*>|<span>)([^<]+)<',
        page,
        re.S,
    )
    assert "IP 地址" in headers and "浏览器标识" in headers and "尝试时间" in headers
    assert [header for header in headers if LATIN.search(header.replace("IP", ""))] == []


def test_the_lockout_page_is_chinese_on_the_admin_login_too(client, superuser, settings):
    settings.AXES_ENABLED = True
    for _attempt in range(5):
        client.post(reverse("admin:login"), {"username": "root", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    page = client.post(
        reverse("admin:login"), {"username": "root", "password": "wrong"}, REMOTE_ADDR="10.0.0.9"
    ).content.decode()
    assert "登录失败次数过多，已暂停登录" in page and "Account locked" not in page
