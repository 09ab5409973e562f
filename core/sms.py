"""SMS gateways, chosen by ``settings.SMS_BACKEND``: a backend has ``send(phone, text)`` and raises on
failure (the delivery is then retried)."""

import hashlib
import hmac
import json
import logging
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("core.sms")


class LogBackend:
    """Writes each SMS to the log: the default, for development and for sites without a gateway."""

    def send(self, phone: str, text: str, link: str = "") -> None:
        logger.info("SMS to %s: %s", phone, text)


class HttpBackend:
    """POSTs ``SMS_BODY`` (a JSON object; ``{phone}``, ``{text}`` and ``{link}`` in its string values are
    filled in) to ``SMS_URL``, signed with ``X-Signature``: the hex HMAC-SHA256 of the exact body under
    ``SMS_SECRET``. Any answer but 2xx, or no answer within ``SMS_TIMEOUT`` seconds, is a failure."""

    def body(self, phone: str, text: str, link: str) -> bytes:
        values = {"phone": phone, "text": text, "link": link}

        def fill(node):
            if isinstance(node, str):
                for name, value in values.items():
                    node = node.replace("{" + name + "}", value)
                return node
            if isinstance(node, dict):
                return {key: fill(value) for key, value in node.items()}
            if isinstance(node, list):
                return [fill(value) for value in node]
            return node

        return json.dumps(fill(json.loads(settings.SMS_BODY)), ensure_ascii=False).encode("utf-8")

    def send(self, phone: str, text: str, link: str = "") -> None:
        if not settings.SMS_URL:
            raise RuntimeError("SMS_URL is not set")
        body = self.body(phone, text, link)
        signature = hmac.new(settings.SMS_SECRET.encode(), body, hashlib.sha256).hexdigest()
        request = urllib.request.Request(
            settings.SMS_URL,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "X-Signature": signature},
        )
        with urllib.request.urlopen(request, timeout=settings.SMS_TIMEOUT) as response:
            if not 200 <= response.status < 300:
                raise RuntimeError(f"SMS gateway answered {response.status}")


def backend():
    return import_string(settings.SMS_BACKEND)()
