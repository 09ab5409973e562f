"""The 2016 article's table of measures, written out once from the article itself (not from the seed).

Measure (mildest first) → its consequences: (kind of restriction, months; None = the rest of the
decision's calendar year). The seeded rule set is compared with it, and the rule tests take their
inputs from it.
"""

from accountability.rules import NO_AWARD, NO_HIGHER_POST, NO_POST, NO_PROMOTION

ARTICLE = {
    "约谈诫勉": [],
    "责令作出书面检查": [(NO_AWARD, None)],
    "通报批评": [(NO_AWARD, None)],
    "调整职务": [(NO_AWARD, None), (NO_PROMOTION, 12)],
    "停职检查": [(NO_AWARD, None)],
    "引咎辞职": [(NO_AWARD, None), (NO_POST, 12), (NO_HIGHER_POST, 24)],
    "责令辞职": [(NO_AWARD, None), (NO_POST, 12), (NO_HIGHER_POST, 24)],
    "免职": [(NO_AWARD, None), (NO_POST, 12), (NO_HIGHER_POST, 24)],
    "降职": [(NO_AWARD, None), (NO_PROMOTION, 24)],
}
