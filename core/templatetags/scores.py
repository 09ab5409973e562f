"""How a score reads on every page: ``{{ value|score }}`` → "35", "87.5", "87.25" (never "35.00"),
"—" for no score; ``{{ value|score_of:maximum }}`` → "35 / 40"."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()

NO_SCORE = "—"


def plain_score(value) -> str:
    """Rounded half up to two decimals, trailing zeros dropped."""
    if value is None or value == "":
        return NO_SCORE
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@register.filter
def score(value) -> str:
    return plain_score(value)


@register.filter
def score_of(value, maximum) -> str:
    return f"{plain_score(value)} / {plain_score(maximum)}"
