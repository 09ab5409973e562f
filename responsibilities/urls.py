from django.urls import path

from responsibilities.views import organisations as views

app_name = "responsibilities"

urlpatterns = [
    path("orgs/", views.organisation_tree, name="organisation_tree"),
    path("orgs/new/", views.organisation_create, name="organisation_create"),
    path("orgs/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("orgs/<int:pk>/children/", views.organisation_tree_children, name="organisation_tree_children"),
    path("orgs/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("orgs/<int:pk>/archive/", views.organisation_archive, name="organisation_archive"),
    path("orgs/<int:pk>/team/add/", views.membership_add, name="membership_add"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/archive/", views.person_archive, name="person_archive"),
]
