"""E-mail and SMS: a real SMTP server (aiosmtpd) and a local HTTP gateway that the tests start, an
outage of each (retried, failed after the limit, the notification kept), the digest, the preferences page."""

import email
import hashlib
import hmac
import json
import socket
import threading
from datetime import timedelta
from email import policy
from http.server import BaseHTTPRequestHandler, HTTPServer

import environ
import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse
from django.utils import timezone

from core.channels import digest
from core.models import Delivery, DeliveryStatus, Notification, NotificationPreference
from responsibilities import services
from responsibilities.models import ListStatus
from tests.responsibilities.list_factories import committee_list

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a free port, and the settings EMAIL_URL would give for it."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    config = environ.Env.email_url_config(f"smtp://127.0.0.1:{port}")
    for name, value in config.items():
        setattr(settings, name, value)
    settings.SITE_URL = "https://dangjian.example.gov.cn"
    yield inbox
    controller.stop()


class Gateway(BaseHTTPRequestHandler):
    answer = 200
    received: list = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        self.send_response(type(self).answer)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def sms_gateway(settings):
    Gateway.received, Gateway.answer = [], 200
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "core.sms.HttpBackend"
    settings.SMS_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.SMS_SECRET = "测试密钥"
    settings.SMS_BODY = '{"to": "{phone}", "message": "{text}", "url": "{link}", "sign": "党建平台"}'
    yield Gateway
    server.shutdown()
    server.server_close()


def prefer(user, *, email="", phone="", digest=False, **channels):
    return NotificationPreference.objects.create(user=user, email=email, phone=phone, digest=digest, channels=channels)


def submit(listed, by):
    listed.refresh_from_db()
    return services.list_transition(
        responsibility_list=listed, version=listed.version, target=ListStatus.SUBMITTED, by=by
    )


def test_an_email_with_text_and_html_reaches_a_real_smtp_server_without_the_content(
    smtp_server, tree, superuser, office_staff, secretary, django_capture_on_commit_callbacks
):
    prefer(secretary, email="wang@example.gov.cn", list_submitted=["email"])
    listed = committee_list(tree["own"], superuser)
    with django_capture_on_commit_callbacks(execute=True):
        submit(listed, office_staff)
    assert len(smtp_server.messages) == 1
    recipients, message = smtp_server.messages[0]
    assert recipients == ["wang@example.gov.cn"]
    assert "责任清单已提交，待确认" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert (
        "https://dangjian.example.gov.cn/messages/" in text
        and 'href="https://dangjian.example.gov.cn/messages/"' in html
    )
    # Only the kind of message and the link: not the list, not the organisation.
    assert "测试市委" not in message.as_string() and "测试市委" not in text + html
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.channel) == (DeliveryStatus.SENT, 1, "email")
    assert list(delivery.notifications.all()) == list(Notification.objects.filter(recipient=secretary))


def test_an_smtp_outage_is_retried_then_marked_failed_and_the_notification_stays(
    settings, tree, superuser, office_staff, secretary, django_capture_on_commit_callbacks
):
    for name, value in environ.Env.email_url_config(f"smtp://127.0.0.1:{free_port()}").items():
        setattr(settings, name, value)  # nothing listens there
    settings.DELIVERY_RETRY_ATTEMPTS = 2
    prefer(secretary, email="wang@example.gov.cn", list_submitted=["email"])
    listed = committee_list(tree["own"], superuser)
    with django_capture_on_commit_callbacks(execute=True):
        submit(listed, office_staff)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)  # the first try and two retries
    assert "ConnectionRefusedError" in delivery.error
    assert Notification.objects.filter(recipient=secretary, event="list_submitted").count() == 1


def test_an_sms_is_posted_as_signed_json_to_the_gateway(
    sms_gateway, tree, superuser, office_staff, secretary, django_capture_on_commit_callbacks
):
    prefer(secretary, phone="13800138000", list_submitted=["sms"])
    listed = committee_list(tree["own"], superuser)
    with django_capture_on_commit_callbacks(execute=True):
        submit(listed, office_staff)
    [(headers, body)] = sms_gateway.received
    expected = hmac.new("测试密钥".encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Signature"] == expected
    sent = json.loads(body)
    assert sent["to"] == "13800138000" and sent["sign"] == "党建平台"
    assert "责任清单已提交，待确认" in sent["message"] and "测试市委" not in sent["message"]
    assert sent["url"].endswith("/messages/")
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_a_gateway_outage_is_retried_then_marked_failed_and_the_notification_stays(
    settings, sms_gateway, tree, superuser, office_staff, secretary, django_capture_on_commit_callbacks
):
    sms_gateway.answer = 503
    settings.DELIVERY_RETRY_ATTEMPTS = 2
    prefer(secretary, phone="13800138000", list_submitted=["sms"])
    listed = committee_list(tree["own"], superuser)
    with django_capture_on_commit_callbacks(execute=True):
        submit(listed, office_staff)
    assert len(sms_gateway.received) == 3
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3) and "503" in delivery.error
    assert Notification.objects.filter(recipient=secretary).count() == 1


def test_the_log_backend_is_the_default_and_no_channel_without_an_address(
    tree, superuser, office_staff, secretary, leader, caplog, django_capture_on_commit_callbacks
):
    prefer(secretary, phone="13800138000", list_submitted=["sms", "email"])  # no e-mail address: no e-mail
    prefer(leader, list_submitted=["email"])
    listed = committee_list(tree["own"], superuser)
    with caplog.at_level("INFO", logger="core.sms"), django_capture_on_commit_callbacks(execute=True):
        submit(listed, office_staff)
    assert [d.channel for d in Delivery.objects.all()] == ["sms"]
    assert "SMS to 13800138000" in caplog.text


def test_a_digest_user_gets_one_message_a_day_instead_of_single_ones(
    smtp_server, tree, superuser, office_staff, secretary, django_capture_on_commit_callbacks
):
    prefer(secretary, email="wang@example.gov.cn", digest=True, list_submitted=["email"], list_returned=["email"])
    listed = committee_list(tree["own"], superuser)
    child = committee_list(tree["child"], superuser)
    with django_capture_on_commit_callbacks(execute=True):
        submit(listed, office_staff)
    assert smtp_server.messages == [] and not Delivery.objects.exists()
    Notification.objects.create(
        recipient=secretary, event="list_submitted", text="另一条", url=child.get_absolute_url()
    )
    tomorrow = timezone.localdate() + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert digest(tomorrow) == 1
    [(recipients, message)] = smtp_server.messages
    assert "2 条新消息" in message["Subject"]
    with django_capture_on_commit_callbacks(execute=True):
        assert digest(tomorrow) == 0  # each notification in one digest at most


def test_the_preferences_page_saves_and_refuses_bad_input_at_the_field(client, tree, office_staff):
    client.force_login(office_staff)
    url = reverse("core:preferences")
    assert client.get(url).status_code == 200
    base = {"email": "office@example.gov.cn", "phone": "13900139000", "event_list_confirmed": ["email", "sms"]}
    for changes, field, words in (
        ({"phone": "12345"}, "phone", "手机号码应为 11 位数字"),
        ({"phone": "1390013900０"}, "phone", "手机号码应为 11 位数字"),
        ({"email": "不是邮箱"}, "email", "请输入有效的电子邮箱地址"),
        ({"event_list_confirmed": ["fax"]}, "event_list_confirmed", "未知的接收渠道"),
        ({"email": "", "event_list_confirmed": ["email"]}, "event_list_confirmed", "请先填写电子邮箱"),
        ({"phone": "", "event_list_confirmed": ["sms"]}, "event_list_confirmed", "请先填写手机号码"),
    ):
        response = client.post(url, base | changes)
        page = response.content.decode()
        assert response.status_code == 400, changes
        assert f'data-field-error="{field}"' in page and words in page, changes
        assert not NotificationPreference.objects.exists()
    response = client.post(url, base | {"digest": "on"})
    assert response.status_code == 302
    saved = NotificationPreference.objects.get(user=office_staff)
    assert (saved.phone, saved.digest, saved.channels) == ("13900139000", True, {"list_confirmed": ["email", "sms"]})
    # A form opened before the last save is refused, not saved over it.
    stale = client.post(url, base | {"version": saved.version - 1, "event_list_confirmed": ["email"]})
    assert stale.status_code == 302 and NotificationPreference.objects.get().channels == saved.channels
    client.post(url, base | {"version": saved.version, "event_list_confirmed": ["email"]})
    assert NotificationPreference.objects.get().channels == {"list_confirmed": ["email"]}


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_email_from_the_queue_and_retries_an_outage(
    settings, tree, superuser, office_staff, secretary
):
    from tests.worker import start_worker, stop_worker, wait_for

    settings.JOBS_INLINE = False
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    down = free_port()
    prefer(secretary, email="wang@example.gov.cn", list_submitted=["email"])
    prefer(office_staff, email="office@example.gov.cn", list_confirmed=["email"])
    listed = committee_list(tree["own"], superuser)
    process = start_worker(EMAIL_URL=f"smtp://127.0.0.1:{port}", DELIVERY_RETRY_ATTEMPTS="2", DELIVERY_RETRY_WAIT="1")
    try:
        submit(listed, office_staff)
        wait_for(lambda: len(inbox.messages) == 1, what="the e-mail from the worker")
        wait_for(lambda: Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 1, what="the delivery row")
    finally:
        stop_worker(process)
        controller.stop()
    # The server goes down: the worker retries with its back-off, then marks the e-mail failed.
    process = start_worker(EMAIL_URL=f"smtp://127.0.0.1:{down}", DELIVERY_RETRY_ATTEMPTS="2", DELIVERY_RETRY_WAIT="1")
    try:
        listed.refresh_from_db()
        services.list_transition(
            responsibility_list=listed, version=listed.version, target=ListStatus.CONFIRMED, by=secretary
        )
        wait_for(
            lambda: Delivery.objects.filter(recipient=office_staff, status=DeliveryStatus.FAILED).exists(),
            timeout=40,
            what="the failed delivery",
        )
    finally:
        stop_worker(process)
    assert Delivery.objects.get(recipient=office_staff).attempts == 3
    assert Notification.objects.filter(recipient=office_staff, event="list_confirmed").exists()
