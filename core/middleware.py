import time

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the user picked another language with the switch.

    The browser's Accept-Language is ignored on purpose: offices use machines set up in many
    ways, and the product's working language is Chinese.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SessionRefreshMiddleware:
    """Keeps a used session alive without writing it on every request.

    Sessions expire SESSION_COOKIE_AGE (8 hours) after the last activity. Saving the session on every
    request (SESSION_SAVE_EVERY_REQUEST) did that with one UPDATE per page view; this saves a logged-in
    session only when its last save is SESSION_REFRESH_SECONDS old or more, which pushes its expiry
    (and the cookie's) forward. So a session left alone expires between SESSION_COOKIE_AGE minus
    SESSION_REFRESH_SECONDS and SESSION_COOKIE_AGE after its last request: never later than before.
    Inside the session middleware (after it in MIDDLEWARE), so that it marks the session before the
    session middleware decides whether to save it. SESSION_REFRESH_SECONDS = 0: every request saves.
    """

    KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        seconds = settings.SESSION_REFRESH_SECONDS
        session = getattr(request, "session", None)
        if seconds and session is not None and session.accessed and not session.is_empty():
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= seconds:
                session[self.KEY] = now  # modified: the session middleware saves it with a new expiry
        return response


def stamp_login(sender, request, user, **kwargs):
    """A login saves the session: its refresh is due SESSION_REFRESH_SECONDS later, not on the next page."""
    if settings.SESSION_REFRESH_SECONDS and hasattr(request, "session"):
        request.session[SessionRefreshMiddleware.KEY] = int(time.time())
