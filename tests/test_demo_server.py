"""`make run` serves with DEBUG off: the product's own Chinese 404 page, static files from WhiteNoise
(issue 12, break 6c). The settings below are the ones the Makefile's run target gives."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client


def run_recipe() -> str:
    """The commands of the Makefile's ``run`` target."""
    makefile = (Path(django_settings.BASE_DIR) / "Makefile").read_text()
    return re.search(r"^run:.*?\n((?:\t.*\n)+)", makefile, re.MULTILINE).group(1)


@pytest.fixture
def demo_settings(settings, tmp_path):
    """What `make run` serves with: its DEBUG default, the manifest storage of config/settings.py,
    the static files collected if it collects them."""
    recipe = run_recipe()
    settings.DEBUG = re.search(r"DEBUG=\$\$\{DEBUG:-(\w+)\}", recipe).group(1) == "true"
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    if "manage.py collectstatic --noinput" in recipe:
        call_command("collectstatic", interactive=False, verbosity=0)
    return settings


def test_make_run_serves_with_debug_off_unless_asked():
    assert "DEBUG=$${DEBUG:-false}" in run_recipe()


def test_a_404_is_the_products_chinese_page(demo_settings, office_staff):
    client = Client()
    client.force_login(office_staff)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert [t.name for t in response.templates][:2] == ["404.html", "base.html"]
    page = response.content.decode()
    assert '<h1 class="h4">页面不存在</h1>' in page
    assert "找不到您要访问的内容，或它不在您的查看范围内。" in page
    assert "URLconf" not in page and "Page not found" not in page


def test_static_files_are_served_by_whitenoise_with_debug_off(demo_settings):
    url = staticfiles_storage.url("css/app.css")
    assert url != "/static/css/app.css"  # the hashed name from the manifest
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert b"".join(response.streaming_content) == (Path(django_settings.BASE_DIR) / "static/css/app.css").read_bytes()
