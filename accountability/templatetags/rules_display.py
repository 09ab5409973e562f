"""How a rule reads on screen: a period in months or "that year", a kind of restriction, a change."""

from django import template
from django.utils.translation import gettext as _

from accountability import rules
from accountability.models import RestrictionKind

register = template.Library()


@register.filter
def span(months):
    """12 → "12 个月（1 年）", None → "当年", rules.ABSENT → "—"."""
    if months == rules.ABSENT:
        return "—"
    if months is None:
        return _("当年")
    if months % 12 == 0:
        return _("%(n)s 个月（%(years)s 年）") % {"n": months, "years": months // 12}
    return _("%(n)s 个月") % {"n": months}


@register.filter
def kind_label(kind):
    return dict(RestrictionKind.choices).get(kind, kind)


@register.filter
def delta(change):
    """How a consequence changes: "+12 个月", "−6 个月", "新增", "取消", "由当年改为 12 个月"."""
    if change.before == rules.ABSENT:
        return _("新增")
    if change.after == rules.ABSENT:
        return _("取消")
    if change.delta_months is not None:
        sign = "+" if change.delta_months > 0 else "−"
        return _("%(sign)s%(n)s 个月") % {"sign": sign, "n": abs(change.delta_months)}
    return _("由%(before)s改为%(after)s") % {"before": span(change.before), "after": span(change.after)}
