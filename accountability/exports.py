"""Excel files of accountability: the appointment screening (资格筛查)."""

from django.utils.translation import gettext as _

from core import excel


def screening_download(root, day, rows):
    """The 资格筛查 sheet: one line per bar of each person screened, with the cases and decisions behind it."""
    columns = [
        (_("姓名"), 10),
        (_("现任职务"), 24),
        (_("职务层次"), 12),
        (_("所在单位"), 24),
        (_("受限事项"), 34),
        (_("恢复资格日期"), 14),
        (_("依据（案件、决定）"), 40),
    ]
    lines = []
    for row in rows:
        for label, lifts_on, reasons in row.bars:
            why = "；".join(
                f"{r.decision.case.number} {r.consequence.measure.name}（{r.decision.decided_on:%Y-%m-%d}）"
                for r in reasons
            )
            lines.append(
                [
                    row.person.name,
                    row.person.post,
                    row.person.get_post_level_display(),
                    row.person.home_organisation.name,
                    label,
                    lifts_on,
                    why,
                ]
            )
    title = _("%(root)s 选拔任用资格筛查（%(day)s）") % {"root": root.name, "day": day.isoformat()}
    workbook = excel.table_workbook(title, _("资格筛查"), columns, lines)
    return excel.download(workbook, f"资格筛查-{root.code}-{day.isoformat()}.xlsx")
