from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from assessments import views as assessment_views
from core.search_views import search
from core.views import PasswordChange, bad_request, server_error, text_size
from core.workbench_views import workbench
from responsibilities import views as responsibilities_views

handler400 = bad_request
handler500 = server_error

urlpatterns = [
    path("", workbench, name="home"),  # 工作台: every role's home page
    path("accounts/login/", responsibilities_views.login_view, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", PasswordChange.as_view(), name="password_change"),
    path("accounts/text-size/", text_size, name="text_size"),
    path("search/", search, name="search"),  # the header search box
    # The language switch works on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("core.urls")),
    path("accountability/", include("accountability.urls")),
    path("assessments/", include("assessments.urls")),
    # The public ballot page of the mass evaluation (no login; see assessments.views.ballot).
    path("ballot/", assessment_views.ballot, name="ballot"),
    path("", include("responsibilities.urls")),
]
