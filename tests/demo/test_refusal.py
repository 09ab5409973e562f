"""The demo, with its published password, is never loaded into a database with real organisations."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_the_demo_is_never_loaded_into_a_database_with_real_organisations(tree):
    users = get_user_model().objects.count()
    with pytest.raises(CommandError, match="非演示"):
        call_command("load_demo")
    assert get_user_model().objects.count() == users
    assert not get_user_model().objects.filter(username="office").exists()
