from django.urls import path

from accountability import views

app_name = "accountability"

urlpatterns = [
    path("negative-list/", views.negative_list, name="negative_list"),
    path("rules/", views.rule_set_list, name="rule_set_list"),
    path("rules/<int:pk>/", views.rule_set_detail, name="rule_set_detail"),
    path("rules/<int:pk>/copy/", views.rule_set_copy, name="rule_set_copy"),
    path("rules/<int:pk>/edit/", views.rule_set_edit, name="rule_set_edit"),
    path("rules/<int:pk>/measures/new/", views.measure_edit, name="measure_create"),
    path("rules/<int:pk>/measures/<int:measure_pk>/", views.measure_edit, name="measure_edit"),
    path("rules/<int:pk>/publish/", views.rule_set_publish, name="rule_set_publish"),
    path("rules/<int:pk>/adopt/", views.RuleSetAdopt.as_view(), name="rule_set_adopt"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/attribution/", views.case_attribution, name="case_attribution"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/transition/", views.CaseTransition.as_view(), name="case_transition"),
    path("cases/<int:pk>/decide/", views.CaseDecide.as_view(), name="case_decide"),
    path("cases/<int:pk>/exempt/", views.CaseExempt.as_view(), name="case_exempt"),
    path("cases/<int:pk>/decision/print/", views.decision_print, name="decision_print"),
    path("people/<int:pk>/", views.person_record, name="person_record"),
    path("screening/", views.screening, name="screening"),
    path("early-warning/", views.early_warning, name="early_warning"),
    path("interventions/new/", views.intervention_create, name="intervention_create"),
    path("interventions/<int:pk>/", views.intervention_acknowledge, name="intervention_acknowledge"),
    path("interventions/<int:pk>/follow-up/", views.intervention_follow_up, name="intervention_follow_up"),
]
