"""The annual 主体责任 report in the demo: 东州市委's report of the reporting year drafted from the demo's
own data by ``office`` (a draft still to finish), and 东安县委's drafted, completed and submitted by
``office_county`` (待书记确认), so 东州市委's page shows who below has not reported yet."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments import report_services as services
from assessments import rules
from assessments.models import AnnualReport
from responsibilities.models import Organisation

SHORTCOMINGS = (
    "对照责任清单，仍存在压力传导逐级递减、个别基层党组织落实“三会一课”不够规范、整改销号后跟踪问效不够等问题。"
)
PLANS = "2027年，将以责任清单为抓手，完善督办和整改销号闭环，加强对下级党组织履责情况的日常监督。"
CASES = "全年对违反中央八项规定精神问题立案1起，已作出问责决定。"


def build(admin_user) -> int:
    """Returns how many reports it drafted (0 when they are already there)."""
    if AnnualReport.objects.exists():
        return 0
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["office", "office_county"])}
    year = rules.reporting_year(timezone.localdate())
    city = Organisation.objects.get(code="SH-01")
    county = Organisation.objects.get(code="SH-01-01")
    services.report_draft(organisation=city, year=year, by=users["office"])
    report = services.report_draft(organisation=county, year=year, by=users["office_county"])
    body = report.body
    for text in (CASES, SHORTCOMINGS, PLANS):
        body = body.replace(rules.REPORT_TO_FILL, text, 1)
    report = services.report_edit(
        report=report,
        version=report.version,
        title=report.title,
        body=body,
        issuer_name=report.issuer_name,
        by=users["office_county"],
    )
    services.report_move(report=report, version=report.version, target="submitted", by=users["office_county"])
    return 2
