"""The kinds of notification (消息的类型): registered by the apps that raise them, so that the kernel
names no domain app. Read by the 消息中心 (its filter), the per-user settings (one row per kind)
and the channels (the kind's name in an e-mail's subject)."""

EVENTS: dict[str, str] = {}


def register_event(code: str, label) -> str:
    EVENTS[code] = label
    return code
