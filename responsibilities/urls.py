from django.urls import path

from responsibilities.views import dashboard as dashboard_views
from responsibilities.views import duties as duty_views
from responsibilities.views import excel as excel_views
from responsibilities.views import lists as list_views
from responsibilities.views import orders as order_views
from responsibilities.views import organisations as views
from responsibilities.views import problems as problem_views

app_name = "responsibilities"

urlpatterns = [
    # 督办
    path("supervision/", order_views.order_list, name="order_list"),
    path("supervision/new/", order_views.order_create, name="order_create"),
    path("supervision/<int:pk>/", order_views.order_detail, name="order_detail"),
    path("supervision/<int:pk>/print/", order_views.order_print, name="order_print"),
    path("supervision/replies/<int:pk>/answer/", order_views.reply_answer, name="order_reply_answer"),
    path("supervision/replies/<int:pk>/close/", order_views.reply_close, name="order_reply_close"),
    path("supervision/files/<int:pk>/", order_views.order_file, name="order_file"),
    # 问题清单 and 整改
    path("problems/", problem_views.problem_list, name="problem_list"),
    path("problems/print/", problem_views.problem_print, name="problem_print"),
    path("orgs/<int:pk>/problems/new/", problem_views.problem_create, name="problem_create"),
    path("orgs/<int:pk>/problems/rollup/", problem_views.problem_rollup, name="problem_rollup"),
    path("problems/<int:pk>/", problem_views.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/measures/", problem_views.measure_add, name="measure_add"),
    path("problems/<int:pk>/submit/", problem_views.problem_submit, name="problem_submit"),
    path("problems/<int:pk>/review/", problem_views.problem_review, name="problem_review"),
    path("measures/<int:pk>/report/", problem_views.measure_report, name="measure_report"),
    path("measures/files/<int:pk>/", problem_views.measure_file, name="measure_file"),
    # 驾驶舱
    path("dashboard/", dashboard_views.dashboard_home, name="dashboard_home"),
    path("orgs/<int:pk>/dashboard/", dashboard_views.dashboard, name="dashboard"),
    # 履责纪实 and 责任书签收
    path("duty/", duty_views.duty_list, name="duty_list"),
    path("duty/new/", duty_views.duty_create, name="duty_create"),
    path("duty/<int:pk>/", duty_views.duty_detail, name="duty_detail"),
    path("duty/<int:pk>/edit/", duty_views.duty_edit, name="duty_edit"),
    path("duty/files/<int:pk>/", duty_views.duty_file, name="duty_file"),
    path("orgs/<int:pk>/duty/", duty_views.duty_rollup, name="duty_rollup"),
    path("lists/<int:pk>/sign/", duty_views.list_sign, name="list_sign"),
    path("orgs/", views.organisation_tree, name="organisation_tree"),
    path("orgs/new/", views.OrganisationCreate.as_view(), name="organisation_create"),
    path("orgs/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("orgs/<int:pk>/children/", views.organisation_tree_children, name="organisation_tree_children"),
    path("orgs/<int:pk>/edit/", views.OrganisationEdit.as_view(), name="organisation_edit"),
    path("orgs/<int:pk>/archive/", views.OrganisationArchive.as_view(), name="organisation_archive"),
    path("orgs/<int:pk>/team/add/", views.MembershipAdd.as_view(), name="membership_add"),
    path("memberships/<int:pk>/end/", views.MembershipEnd.as_view(), name="membership_end"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.PersonCreate.as_view(), name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.PersonEdit.as_view(), name="person_edit"),
    path("people/<int:pk>/archive/", views.PersonArchive.as_view(), name="person_archive"),
    path("history/<str:key>/<int:pk>/", views.record_history, name="history"),
    # ---- Responsibility lists ----
    path("orgs/<int:pk>/lists/", list_views.organisation_lists, name="organisation_lists"),
    path("orgs/<int:pk>/lists/generate/", list_views.lists_generate, name="lists_generate"),
    path("orgs/<int:pk>/rollover/", list_views.rollover_start, name="rollover_start"),
    path("rollover/<int:pk>/", list_views.rollover_detail, name="rollover_detail"),
    path("lists/<int:pk>/", list_views.list_detail, name="list_detail"),
    path("lists/<int:pk>/transition/", list_views.ListTransition.as_view(), name="list_transition"),
    path("lists/<int:pk>/notes/", list_views.supervision_note_add, name="supervision_note_add"),
    path("notes/<int:pk>/acknowledge/", list_views.supervision_note_acknowledge, name="supervision_note_acknowledge"),
    path("items/<int:pk>/tasks/new/", list_views.TaskCreate.as_view(), name="task_create"),
    path("tasks/<int:pk>/", list_views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", list_views.TaskEdit.as_view(), name="task_edit"),
    path("tasks/<int:pk>/archive/", list_views.TaskArchive.as_view(), name="task_archive"),
    path("tasks/<int:pk>/progress/", list_views.progress_record, name="progress_record"),
    path("tasks/<int:pk>/evidence/", list_views.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/download/", list_views.evidence_download, name="evidence_download"),
    path("my/checklist/", list_views.my_checklist, name="my_checklist"),
    path("orgs/<int:pk>/issue/", list_views.TaskIssue.as_view(), name="task_issue"),
    path("issued/", list_views.issued_task_list, name="issued_task_list"),
    path("issued/<int:pk>/", list_views.issued_task_detail, name="issued_task_detail"),
    path("templates/", list_views.template_list, name="template_list"),
    path("templates/new/", list_views.TemplateVersionCreate.as_view(), name="template_version_create"),
    path("templates/<int:pk>/", list_views.template_detail, name="template_detail"),
    path("template-items/<int:pk>/edit/", list_views.TemplateItemEdit.as_view(), name="template_item_edit"),
    # ---- Excel and print (responsibilities/views/excel.py) ----
    path("orgs/<int:pk>/tasks/export/", excel_views.subtree_tasks_export, name="subtree_tasks_export"),
    path("orgs/<int:pk>/lists/export/", excel_views.ledger_export, name="ledger_export"),
    path("orgs/<int:pk>/rollup/export/", excel_views.rollup_export, name="rollup_export"),
    path("lists/<int:pk>/import/template/", excel_views.import_template, name="import_template"),
    path("lists/<int:pk>/import/", excel_views.list_import, name="list_import"),
    path("lists/<int:pk>/print/", excel_views.list_print, name="list_print"),
]
