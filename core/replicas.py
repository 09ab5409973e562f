"""Read replicas (README "How a deployment grows"): reads of safe requests go to a streaming replica.

Configured by ``REPLICA_DATABASE_URL`` (the database alias ``replica``); without it nothing here is
installed and every query goes to the primary, as before.

The rules, all in ``ReplicaRouter``:

- Only the ORM reads of a GET/HEAD request may go to the replica. Everything else reads the primary:
  POSTs and other unsafe methods, management commands, the task queue's worker and its jobs, shells.
  ``replica_reads()`` lets a block outside a request opt in (e.g. a long export).
- Writes always go to the primary, and so do reads inside a transaction on the primary
  (``transaction.atomic``), ``select_for_update`` and ``get_or_create`` (Django routes them as writes),
  advisory locks and raw SQL through ``django.db.connection`` (it is the primary's), and the task
  queue (Procrastinate uses the primary's connection).
- Read your own writes: once a request has written (other than its session), the rest of it reads the
  primary; and after a request that wrote or was unsafe (a POST), the same browser reads the primary
  for ``READ_YOUR_WRITES_SECONDS`` (a cookie stamp set by ``ReadYourWritesMiddleware``), longer than
  the replica's usual lag, so that the page after a save shows the save.
- A replica that does not answer is skipped: the read goes to the primary, and the replica is tried
  again after ``REPLICA_RETRY_SECONDS`` (no 500, at most one failed connection attempt per process in
  that time; the attempt's timeout is the URL's ``connect_timeout``, 2 s unless given). A replica
  lost in the middle of a GET's view: the view is run again on the primary.
"""

import contextvars
import logging
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA = "replica"
COOKIE = "primary_until"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Writes that do not make a request "one that wrote": the session saved on the way out.
NOT_WRITES = frozenset({"sessions.session"})

# Whether ORM reads may go to the replica in this context (thread or task): only inside a safe request
# or replica_reads().
_replica_allowed = contextvars.ContextVar("replica_allowed", default=False)
# Per request: [wrote anything but the session?]
_wrote = contextvars.ContextVar("replica_wrote", default=None)
# Process-wide: the replica is not tried again before this monotonic time.
_down_until = 0.0


def configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads():
    """Let the ORM reads of the block go to the replica (outside a request: jobs, commands)."""
    allowed, wrote = _replica_allowed.set(True), _wrote.set([False])
    try:
        yield
    finally:
        _replica_allowed.reset(allowed)
        _wrote.reset(wrote)


def mark_down(reason) -> None:
    global _down_until
    _down_until = time.monotonic() + settings.REPLICA_RETRY_SECONDS
    logger.warning("read replica unavailable, reading the primary for %s s: %s", settings.REPLICA_RETRY_SECONDS, reason)
    try:
        connections[REPLICA].close()
    except DatabaseError:
        pass


def replica_usable() -> bool:
    """Whether the replica answers: its connection is checked once per request (CONN_HEALTH_CHECKS) and
    opened if needed; a failure skips it for REPLICA_RETRY_SECONDS."""
    if time.monotonic() < _down_until:
        return False
    connection = connections[REPLICA]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError as error:
        mark_down(error)
        return False
    return True


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not _replica_allowed.get():
            return PRIMARY
        wrote = _wrote.get()
        if (wrote and wrote[0]) or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA if replica_usable() else PRIMARY

    def db_for_write(self, model, **hints):
        wrote = _wrote.get()
        if wrote is not None and model._meta.label_lower not in NOT_WRITES:
            wrote[0] = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY  # a physical replica follows the primary's schema by itself


class ReadYourWritesMiddleware:
    """Lets a safe request's reads go to the replica unless the browser wrote in the last
    READ_YOUR_WRITES_SECONDS; stamps the browser after a request that wrote or was unsafe. Before the
    session middleware, so that the session and the user are read under the same rule."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = configured()

    def __call__(self, request):
        if not self.enabled:
            return self.get_response(request)
        now = time.time()
        try:
            primary_until = float(request.COOKIES.get(COOKIE, 0))
        except ValueError:
            primary_until = 0
        safe = request.method in SAFE_METHODS
        wrote = [False]
        allowed, wrote_token = _replica_allowed.set(safe and primary_until <= now), _wrote.set(wrote)
        try:
            response = self.get_response(request)
        finally:
            _replica_allowed.reset(allowed)
            _wrote.reset(wrote_token)
        if not safe or wrote[0]:
            seconds = settings.READ_YOUR_WRITES_SECONDS
            response.set_cookie(
                COOKIE,
                f"{now + seconds:.3f}",
                max_age=seconds + 1,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_exception(self, request, exception):
        """The replica went away during a safe request's view: run the view again on the primary."""
        if not self.enabled or request.method not in SAFE_METHODS or not _replica_allowed.get():
            return None
        if not isinstance(exception, OperationalError | InterfaceError) or not connections[REPLICA].errors_occurred:
            return None
        mark_down(exception)
        _replica_allowed.set(False)  # until the request ends (__call__ restores the context's value)
        match = request.resolver_match
        return match.func(request, *match.args, **match.kwargs)
