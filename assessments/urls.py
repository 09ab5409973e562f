from django.urls import path

from assessments import report_views, views

app_name = "assessments"

urlpatterns = [
    path("", views.scheme_list, name="scheme_list"),
    path("new/", views.SchemeCreate.as_view(), name="scheme_create"),
    path("<int:pk>/", views.scheme_detail, name="scheme_detail"),
    path("<int:pk>/edit/", views.SchemeEdit.as_view(), name="scheme_edit"),
    path("<int:pk>/bands/<str:subject>/", views.bands_update, name="bands_update"),
    path("<int:pk>/indicators/new/", views.IndicatorCreate.as_view(), name="indicator_create"),
    path("indicators/<int:pk>/edit/", views.IndicatorEdit.as_view(), name="indicator_edit"),
    path("<int:pk>/inspections/", views.inspection_list, name="inspection_list"),
    path("<int:pk>/inspections/new/", views.InspectionStart.as_view(), name="inspection_start"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/scores/<int:indicator_pk>/", views.ScoreRecord.as_view(), name="score_record"),
    path("deductions/<int:pk>/problem/", views.deduction_problem, name="deduction_problem"),
    path("inspections/<int:pk>/<str:action>/", views.inspection_transition, name="inspection_transition"),
    path("<int:pk>/rounds/new/", views.RoundCreate.as_view(), name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/slips/", views.round_slips, name="round_slips"),
    path("rounds/<int:pk>/slips/destroy/", views.round_slips_destroy, name="round_slips_destroy"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/results/export/", views.results_export, name="results_export"),
    path("<int:pk>/results/print/", views.results_print, name="results_print"),
    path("results/<int:pk>/", views.result_detail, name="result_detail"),
    path("<int:pk>/awards/", views.Awards.as_view(), name="awards"),
    path("hearings/", views.hearing_list, name="hearing_list"),
    path("<int:pk>/hearings/new/", views.HearingCreate.as_view(), name="hearing_create"),
    path("hearings/<int:pk>/", views.hearing_detail, name="hearing_detail"),
    path("hearings/<int:pk>/report/", views.ReportSubmit.as_view(), name="report_submit"),
    path("hearing-reports/<int:pk>/", views.hearing_report, name="hearing_report"),
    path("hearing-reports/<int:pk>/evaluate/", views.report_evaluate, name="report_evaluate"),
    path("hearing-reports/<int:pk>/round/", views.HearingRoundCreate.as_view(), name="hearing_round_create"),
    path("hearing-files/<int:pk>/", views.hearing_file, name="hearing_file"),
    # The annual 主体责任 report (年度履行全面从严治党主体责任情况报告).
    path("reports/", report_views.report_list, name="report_list"),
    path("reports/new/", report_views.report_create, name="report_create"),
    path("reports/<int:pk>/", report_views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", report_views.ReportEdit.as_view(), name="report_edit"),
    path("reports/<int:pk>/move/", report_views.report_move, name="report_move"),
    path("reports/<int:pk>/pdf/", report_views.report_pdf_view, name="report_pdf"),
]
