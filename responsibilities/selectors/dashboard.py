"""The 驾驶舱's sections that responsibilities owns: completion by lower level and by item, month by
month against last year, tasks by warning colour, problems found and rectified.

Every figure is a count over the organisation's whole subtree, readable by whoever may see the
organisation (as the roll-up's are: ``OrganisationCountQuerySet``); the view has checked that with
``organisation_for``. The lower levels, the months, the colours and the items are read from the
maintained tallies (``responsibilities.tallies``: ``TaskTally`` and ``ItemTally``), so their cost does
not grow with the subtree.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Exists, Q, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils.translation import gettext as _

from core.panels import DashboardSection
from core.scope import nobody
from responsibilities import rules
from responsibilities.models import (
    ItemTally,
    ListKind,
    ListTemplateVersion,
    Organisation,
    ResponsibilityList,
    TaskStatus,
    TaskTally,
    TemplateItem,
)
from responsibilities.selectors.lists import rollup, warning_thresholds
from responsibilities.selectors.problems import problem_rollup

LAGGING_ITEMS = 3  # the items with the lowest completion are marked (落后)

BLUE, YELLOW, RED, GREEN, GREY = "#1565c0", "#f9a825", "#c62828", "#2e7d32", "#9e9e9e"


def percent(rate: Decimal | None) -> str:
    return "—" if rate is None else f"{rate}%"


def _number(rate: Decimal | None) -> float | None:
    return None if rate is None else float(rate)


def completion_sections(user, organisation: Organisation, year: int, today: date) -> list[DashboardSection]:
    thresholds = warning_thresholds()
    tallied = rollup(organisation, year, today, thresholds)
    return [
        _by_level(tallied),
        *_by_item(organisation, year),
        _by_month(organisation, year),
        _by_colour(tallied),
        _problems(organisation, year, today),
    ]


def _by_level(tallied) -> DashboardSection:
    """本级 and each lower level's whole subtree (一级抓一级), the subtree's completion as the line."""
    rows = [(_("本级"), tallied.own, False)] + [
        (row.organisation.display_name, row.counts, row.lagging) for row in tallied.rows
    ]
    return DashboardSection(
        key="levels",
        title=_("各级完成情况"),
        order=10,
        chart={
            "type": "bar",
            "percent": True,
            "labels": [label for label, _counts, _lagging in rows],
            "datasets": [
                {
                    "label": _("完成率（%）"),
                    "data": [_number(counts.rate) for _label, counts, _lagging in rows],
                    "colors": [RED if lagging else GREEN for _label, _counts, lagging in rows],
                }
            ],
            "line": {"label": _("全辖区完成率"), "value": _number(tallied.subtree.rate)},
        },
        columns=[_("组织"), _("任务"), _("已完成"), _("逾期"), _("完成率")],
        rows=[[label, counts.total, counts.done, counts.overdue, percent(counts.rate)] for label, counts, _l in rows]
        + [
            [
                _("全辖区合计"),
                tallied.subtree.total,
                tallied.subtree.done,
                tallied.subtree.overdue,
                percent(tallied.subtree.rate),
            ]
        ],
        marked=frozenset(index for index, (_label, _counts, lagging) in enumerate(rows) if lagging),
        note=_("红色：完成率比全辖区低 20 个百分点以上（压力层层递减）。"),
    )


def _items_of_year(organisation: Organisation, year: int) -> list[tuple[str, int, str]]:
    """(kind, number, title) of every item the subtree's lists of the year hold: the items of the list
    template in force that year (the latest version effective on or before it, as
    ``rules.template_in_force``), for the kinds of list the subtree has. Lists are made from that
    version and keep its items. One query, whatever the size of the subtree."""
    in_force = (
        ListTemplateVersion.objects.filter(effective_from_year__lte=year)
        .order_by("-effective_from_year", "-pk")
        .values("pk")[:1]
    )
    # Whether the subtree has a list of each kind: one EXISTS per kind, evaluated once and stopping at
    # the first such list (the distinct kinds of every list of the province took 17 of the page's 60 ms
    # of SQL at N = 5,000).
    lists = ResponsibilityList.objects.filter(year=year, organisation__path__startswith=organisation.path)
    of_kinds = nobody()
    for kind in ListKind.values:
        of_kinds |= Q(kind=kind) & Q(Exists(lists.filter(kind=kind)))
    return list(
        TemplateItem.objects.filter(of_kinds, template=Subquery(in_force))
        .order_by("kind", "number")
        .values_list("kind", "number", "title")
    )


def item_counts(organisation: Organisation, year: int) -> list[dict]:
    """Active tasks of the subtree's lists of the year, per list kind and item (number and title),
    from ``ItemTally``; every item of those lists, with or without tasks (an item nobody has planned
    for is the most behind)."""
    counted = {
        (row["kind"], row["number"]): row
        for row in ItemTally.objects.filter(organisation=organisation, year=year)
        .values("kind", "number")
        .annotate(
            total=Coalesce(Sum("task_count"), 0),
            done=Coalesce(Sum("task_count", filter=Q(status=TaskStatus.DONE)), 0),
        )
        .order_by()
    }
    rows = []
    for kind, number, title in _items_of_year(organisation, year):
        row = counted.get((kind, number), {"total": 0, "done": 0})
        rows.append(
            {
                "responsibility_list__kind": kind,
                "number": number,
                "title": title,
                "total": row["total"],
                "done": row["done"],
            }
        )
    return sorted(rows, key=lambda row: (row["responsibility_list__kind"], row["number"], row["title"]))


def _by_item(organisation: Organisation, year: int) -> list[DashboardSection]:
    """The committee list's items, and the personal lists' items of every kind, each with its
    completion over the subtree; the items furthest behind are marked."""
    kinds = dict(ListKind.choices)
    committee, personal = [], []
    for row in item_counts(organisation, year):
        kind = row["responsibility_list__kind"]
        rate = rules.completion_rate(row["done"], row["total"])
        entry = {
            "label": f"{row['number']}. {row['title']}",
            "kind": kinds.get(kind, kind),
            "total": row["total"],
            "done": row["done"],
            "rate": rate,
        }
        (committee if kind == ListKind.COMMITTEE else personal).append(entry)
    personal_note = _("个人清单按清单类别（书记、分管领导、班子其他成员）分列。")
    return [
        _item_section("committee-items", _("党委（党组）清单各责任事项完成情况"), committee, 20, with_kind=False),
        _item_section("personal-items", _("个人责任清单各责任事项完成情况"), personal, 30, note=personal_note),
    ]


def _item_section(key, title, entries, order, *, with_kind=True, note="") -> DashboardSection:
    # The lowest completions are marked, ties included (six items at 0 % are all behind, not three of them).
    rated = sorted(e["rate"] for e in entries if e["rate"] is not None)
    lowest = rated[LAGGING_ITEMS - 1] if len(rated) > LAGGING_ITEMS else None
    lagging = frozenset(
        i for i, e in enumerate(entries) if lowest is not None and e["rate"] is not None and e["rate"] <= lowest
    )
    labels = [f"{e['kind']} {e['label']}" if with_kind else e["label"] for e in entries]
    columns = [_("责任事项"), _("任务"), _("已完成"), _("完成率")]
    if with_kind:
        columns.insert(0, _("清单类别"))
    rows = []
    for entry in entries:
        cells = [entry["label"], entry["total"], entry["done"], percent(entry["rate"])]
        rows.append([entry["kind"], *cells] if with_kind else cells)
    lag_note = _("标红的是完成率最低的 %(n)s 项（并列的一并标红）。") % {"n": LAGGING_ITEMS} if lagging else ""
    return DashboardSection(
        key=key,
        title=title,
        order=order,
        chart={
            "type": "bar",
            "horizontal": True,
            "percent": True,
            "labels": labels,
            "datasets": [
                {
                    "label": _("完成率（%）"),
                    "data": [_number(e["rate"]) for e in entries],
                    "colors": [RED if i in lagging else GREEN for i in range(len(entries))],
                }
            ],
        },
        columns=columns,
        rows=rows,
        marked=lagging,
        note=" ".join(part for part in (lag_note, note) if part),
    )


def month_counts(organisation: Organisation, years: list[int]) -> dict[tuple[int, int], tuple[int, int]]:
    """(year, month of the deadline) → (tasks, done) of the subtree, from the task tally: one query."""
    rows = (
        TaskTally.objects.filter(organisation=organisation, year__in=years)
        .annotate(month=ExtractMonth("deadline"))
        .values("year", "month")
        .annotate(
            total=Coalesce(Sum("task_count"), 0),
            done=Coalesce(Sum("task_count", filter=Q(status=TaskStatus.DONE)), 0),
        )
        .order_by()
    )
    return {(row["year"], row["month"]): (row["total"], row["done"]) for row in rows}


def _by_month(organisation: Organisation, year: int) -> DashboardSection:
    counts = month_counts(organisation, [year - 1, year])
    months = range(1, 13)

    def rate(y, m):
        total, done = counts.get((y, m), (0, 0))
        return rules.completion_rate(done, total)

    labels = [_("%(m)s 月") % {"m": m} for m in months]
    return DashboardSection(
        key="months",
        title=_("逐月完成情况（与上年同期比较）"),
        order=40,
        chart={
            "type": "line",
            "percent": True,
            "labels": labels,
            "datasets": [
                {"label": _("%(y)s 年") % {"y": year}, "data": [_number(rate(year, m)) for m in months], "color": BLUE},
                {
                    "label": _("%(y)s 年") % {"y": year - 1},
                    "data": [_number(rate(year - 1, m)) for m in months],
                    "color": GREY,
                },
            ],
        },
        columns=[_("月份"), _("任务"), _("已完成"), _("完成率"), _("上年完成率")],
        rows=[
            [labels[m - 1], *counts.get((year, m), (0, 0)), percent(rate(year, m)), percent(rate(year - 1, m))]
            for m in months
        ],
        note=_("按任务的完成时限所在月份统计：该月到期的任务中已完成的比例。"),
    )


def _by_colour(tallied) -> DashboardSection:
    colours, counts = tallied.subtree_colours, tallied.subtree
    open_tasks = counts.total - counts.done
    plain = max(open_tasks - colours.blue - colours.yellow - colours.red, 0)
    labels = [_("蓝色预警"), _("黄色预警"), _("红色预警"), _("未到预警"), _("已完成")]
    values = [colours.blue, colours.yellow, colours.red, plain, counts.done]
    lower = [(_("本级"), tallied.own_colours)] + [(r.organisation.display_name, r.colours) for r in tallied.rows]
    return DashboardSection(
        key="colours",
        title=_("任务预警颜色分布"),
        order=50,
        chart={
            "type": "doughnut",
            "labels": labels,
            "datasets": [{"label": _("任务"), "data": values, "colors": [BLUE, YELLOW, RED, "#cfd8dc", GREEN]}],
        },
        columns=[_("组织"), _("蓝色预警"), _("黄色预警"), _("红色预警")],
        rows=[[label, c.blue, c.yellow, c.red] for label, c in lower]
        + [[_("全辖区合计"), colours.blue, colours.yellow, colours.red]],
        note=_("全辖区：蓝色 %(b)s、黄色 %(y)s、红色 %(r)s、未到预警 %(p)s、已完成 %(d)s。")
        % {"b": colours.blue, "y": colours.yellow, "r": colours.red, "p": plain, "d": counts.done},
    )


def _problems(organisation: Organisation, year: int, today: date) -> DashboardSection:
    problems = problem_rollup(organisation, year, today)
    rows = [(r.organisation.display_name, r.counts) for r in problems.rows]
    return DashboardSection(
        key="problems",
        title=_("发现问题与整改"),
        order=60,
        chart={
            "type": "bar",
            "labels": [label for label, _c in rows],
            "datasets": [
                {"label": _("发现问题"), "data": [c.found for _l, c in rows], "color": YELLOW},
                {"label": _("已销号"), "data": [c.rectified for _l, c in rows], "color": GREEN},
            ],
        },
        columns=[_("组织"), _("发现问题"), _("已销号"), _("逾期未整改"), _("整改率")],
        rows=[[label, c.found, c.rectified, c.overdue, percent(c.rate)] for label, c in rows]
        + [
            [
                _("全辖区合计"),
                problems.subtree.found,
                problems.subtree.rectified,
                problems.subtree.overdue,
                percent(problems.subtree.rate),
            ]
        ],
        note=_("%(y)s 年发现的问题（问题清单），按下级全辖区统计。") % {"y": year},
    )
