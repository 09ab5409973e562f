"""The read-replica router's rules without a replica (tests/reliability/test_replica.py has the real one)."""

import pytest
from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.test import RequestFactory

from core import replicas
from responsibilities.models import Task

router = replicas.ReplicaRouter()


@pytest.fixture
def replica_up(monkeypatch):
    monkeypatch.setattr(replicas, "replica_usable", lambda: True)


def serve(request, view):
    middleware = replicas.ReadYourWritesMiddleware(view)
    middleware.enabled = True  # as with REPLICA_DATABASE_URL set
    return middleware(request)


def test_outside_a_request_everything_reads_the_primary(replica_up):
    assert router.db_for_read(Task) == "default"
    assert router.db_for_write(Task) == "default"
    with replicas.replica_reads():
        assert router.db_for_read(Task) == "replica"


def test_a_get_reads_the_replica_until_it_writes_and_then_stamps_the_browser(replica_up):
    seen = []

    def view(request):
        seen.append(router.db_for_read(Task))
        router.db_for_write(Session)  # the session saved on the way out does not count as a write
        seen.append(router.db_for_read(Task))
        router.db_for_write(Task)
        seen.append(router.db_for_read(Task))
        return HttpResponse()

    response = serve(RequestFactory().get("/"), view)
    assert seen == ["replica", "replica", "default"]
    assert replicas.COOKIE in response.cookies  # it wrote: the next requests read the primary


def test_a_post_and_the_requests_after_it_read_the_primary(replica_up):
    seen = []

    def view(request):
        seen.append(router.db_for_read(Task))
        return HttpResponse()

    posted = serve(RequestFactory().post("/"), view)
    stamp = posted.cookies[replicas.COOKIE]
    assert stamp["max-age"] == 6 and stamp["httponly"]
    factory = RequestFactory()
    factory.cookies[replicas.COOKIE] = stamp.value
    after = serve(factory.get("/"), view)
    assert replicas.COOKIE not in after.cookies  # a GET that wrote nothing adds no stamp
    expired = RequestFactory()
    expired.cookies[replicas.COOKIE] = "1"  # long past
    serve(expired.get("/"), view)
    garbled = RequestFactory()
    garbled.cookies[replicas.COOKIE] = "not-a-number"
    serve(garbled.get("/"), view)
    assert seen == ["default", "default", "replica", "replica"]


def test_a_replica_that_does_not_answer_is_skipped(monkeypatch):
    monkeypatch.setattr(replicas, "replica_usable", lambda: False)
    with replicas.replica_reads():
        assert router.db_for_read(Task) == "default"


def test_only_the_primary_is_migrated():
    assert router.allow_migrate("default", "responsibilities") is True
    assert router.allow_migrate("replica", "responsibilities") is False
