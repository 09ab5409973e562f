"""Assessment (考核评价): schemes, quantified indicators, inspections and scores, mass evaluation,
merged results, grades and the use of results."""

import hashlib
import hmac
import secrets
from decimal import Decimal

import pgtrigger
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from assessments import rules
from core import scope, uploads
from core.models import (
    ArchivableModel,
    VersionedModel,
    refuse_deletes,
    refuse_link_deletes_when,
    track_history,
    track_links,
)
from responsibilities.models import (
    Department,
    Organisation,
    Person,
    ResponsibilityList,
    TeamMembership,
    TemplateItem,
)

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class SchemeKind(models.TextChoices):
    ROUTINE = "routine", _("平时考核")
    ANNUAL = "annual", _("年度考核")
    SPECIAL = "special", _("专项考核")


class SchemeQuerySet(scope.ScopedQuerySet):
    def visibility(self, user, action=scope.VIEW):
        """Schemes of an assessing organisation in scope, or (to read) assessing an organisation in scope."""
        paths = scope.scope_paths(user, action)
        allowed = scope.within(paths, field="assessor__path")
        if action == scope.VIEW:
            allowed |= Q(
                pk__in=Scheme.targets.through.objects.filter(scope.within(paths, field="organisation__path")).values(
                    "scheme"
                )
            )
        return allowed


class OfSchemeQuerySet(scope.ScopedQuerySet):
    """A part of a scheme (its indicators, grade bands, nominations): seen with the scheme, changed
    by the assessing level."""

    def visibility(self, user, action=scope.VIEW):
        if action == scope.VIEW:
            return Q(scheme__in=Scheme.objects.for_user(user, action))
        return scope.within(scope.scope_paths(user, action), field="scheme__assessor__path")


class AssessedQuerySet(scope.ScopedQuerySet):
    """What an assessment records about one organisation (inspections, rounds, results): the assessing
    level sees all of it, an assessed organisation only its own; the assessing level changes it."""

    prefix = ""  # the relation to the assessed record from this table, e.g. "inspection__"

    def visibility(self, user, action=scope.VIEW):
        paths = scope.scope_paths(user, action)
        allowed = scope.within(paths, field=f"{self.prefix}scheme__assessor__path")
        if action == scope.VIEW:
            allowed |= scope.within(paths, field=f"{self.prefix}organisation__path")
        return allowed


class ScoreQuerySet(AssessedQuerySet):
    prefix = "inspection__"


class DeductionQuerySet(AssessedQuerySet):
    prefix = "indicator_score__inspection__"


class RoundQuerySet(AssessedQuerySet):
    def visibility(self, user, action=scope.VIEW):
        """As any assessed record, except that the people evaluated never see their own round: the
        secretary of a secretary's round, and the team's members (in office during the round) of a
        team's round. Their own result shows the outcome once the round is closed."""
        return super().visibility(user, action) & ~evaluated_by(user)


def evaluated_by(user) -> Q:
    """The rounds evaluating the user: as the secretary evaluated, or as a member of the team evaluated."""
    in_team = TeamMembership.objects.filter(
        person__user=user,
        organisation=OuterRef("organisation"),
        start_date__lte=OuterRef("closes_on"),
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("opens_on")))
    return Q(person__user=user) | (Q(subject=EvaluationSubject.ORGANISATION) & Exists(in_team))


class OfRoundQuerySet(scope.ScopedQuerySet):
    """A round's counts and ballot box: seen with the round."""

    def visibility(self, user, action=scope.VIEW):
        return Q(round__in=EvaluationRound.objects.for_user(user, action))


class BallotCodeQuerySet(scope.ScopedQuerySet):
    def visibility(self, user, action=scope.VIEW):
        """Ballot codes are handed out by the assessing level only."""
        return scope.within(scope.scope_paths(user, action), field="round__scheme__assessor__path")


@track_history()
class Scheme(VersionedModel):
    """An upper organisation's assessment of the organisations below it for a year (考核方案)."""

    assessor = models.ForeignKey(
        Organisation, verbose_name=_("考核组织"), on_delete=models.PROTECT, related_name="assessment_schemes"
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    kind = models.CharField(_("考核类型"), max_length=16, choices=SchemeKind.choices, default=SchemeKind.ANNUAL)
    name = models.CharField(_("方案名称"), max_length=200)
    party_building_weight = models.DecimalField(
        _("党建考核在综合考核中的权重（%）"),
        max_digits=5,
        decimal_places=2,
        validators=PERCENT,
        help_text=_("党建工作在本单位年度综合考核中所占比重，显示在每个考核结果上。"),
    )
    weight_routine = models.DecimalField(_("平时检查权重（%）"), max_digits=5, decimal_places=2, validators=PERCENT)
    weight_annual = models.DecimalField(_("年终考核权重（%）"), max_digits=5, decimal_places=2, validators=PERCENT)
    weight_mass = models.DecimalField(_("群众评价权重（%）"), max_digits=5, decimal_places=2, validators=PERCENT)
    team_top_quota = models.DecimalField(
        _("班子“好”等次比例上限（%）"), max_digits=5, decimal_places=2, validators=PERCENT, default=30
    )
    leader_top_quota = models.DecimalField(
        _("书记“优秀”等次比例上限（%）"), max_digits=5, decimal_places=2, validators=PERCENT, default=20
    )
    secretary_org_weight = models.DecimalField(
        _("书记个人考核中组织党建结果权重（%）"),
        max_digits=5,
        decimal_places=2,
        validators=PERCENT,
        default=70,
        help_text=_("书记个人考核首先看抓党建实效：以所在组织的党建考核结果为主，其余为对书记的民主测评。"),
    )
    hearing_weight = models.DecimalField(
        _("书记个人考核中述责述廉评议权重（%）"),
        max_digits=5,
        decimal_places=2,
        validators=PERCENT,
        default=0,
        help_text=_("述责述廉评议结果在书记个人考核中所占比重；与组织党建结果权重之和不超过 100，余下为民主测评。"),
    )
    targets = models.ManyToManyField(
        Organisation, verbose_name=_("被考核组织"), related_name="assessed_in", through="SchemeTarget"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["-year", "assessor", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight_routine__gte=0, weight_annual__gte=0, weight_mass__gte=0)
                & Q(weight_routine__lte=100, weight_annual__lte=100, weight_mass__lte=100),
                name="scheme_weights_in_range",
                violation_error_message=_("权重应在 0 到 100 之间。"),
            ),
            models.CheckConstraint(
                condition=Q(weight_routine=100 - F("weight_annual") - F("weight_mass")),
                name="scheme_weights_sum_100",
                violation_error_message=_("平时检查、年终考核、群众评价三项权重之和必须为 100。"),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SchemeKind.values),
                name="scheme_kind_valid",
                violation_error_message=_("考核类型无效。"),
            ),
            models.CheckConstraint(
                condition=Q(hearing_weight__gte=0, hearing_weight__lte=100 - F("secretary_org_weight")),
                name="scheme_hearing_weight_in_range",
                violation_error_message=_("述责述廉评议权重与组织党建结果权重之和不能超过 100。"),
            ),
        ]
        triggers = [refuse_deletes()]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("assessments:scheme_detail", args=[self.pk])


@track_links()
class SchemeTarget(models.Model):
    """One organisation assessed by a scheme (the scheme's 被考核组织). The scheme's form adds and
    removes them; each change is recorded in the scheme's history."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("考核方案"), on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("被考核组织"), on_delete=models.PROTECT, related_name="+"
    )

    objects = scope.links_to("scheme")

    class Meta:
        # The table Django created for the set before it had a model: same name, same unique pair.
        db_table = "assessments_scheme_targets"
        unique_together = [("scheme", "organisation")]
        verbose_name = _("被考核组织")
        verbose_name_plural = _("被考核组织")

    def __str__(self):
        return str(self.organisation_id)


class GradeSubject(models.TextChoices):
    TEAM = "team", _("领导班子")
    LEADER = "leader", _("领导干部")


@track_history()
class GradeBand(models.Model):
    """A grade of a scheme and the lowest composite score that reaches it (configurable per scheme)."""

    history_hidden_fields = ("grade",)  # the code beside its label (等次): the history shows the label

    scheme = models.ForeignKey(Scheme, verbose_name=_("考核方案"), on_delete=models.PROTECT, related_name="bands")
    subject = models.CharField(_("对象"), max_length=16, choices=GradeSubject.choices)
    grade = models.SlugField(_("等次代码"), max_length=20)
    label = models.CharField(_("等次"), max_length=20)
    min_score = models.DecimalField(_("最低分"), max_digits=5, decimal_places=2, validators=PERCENT)

    objects = OfSchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("等次分数线")
        verbose_name_plural = _("等次分数线")
        ordering = ["scheme", "subject", "-min_score"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "subject", "grade"],
                name="band_grade_unique",
                violation_error_message=_("同一方案中等次不能重复。"),
            ),
            models.UniqueConstraint(
                fields=["scheme", "subject", "min_score"],
                name="band_min_unique",
                violation_error_message=_("两个等次的最低分不能相同。"),
            ),
        ]
        triggers = [refuse_deletes()]

    def __str__(self):
        return f"{self.label} ≥ {self.min_score}"


# The defaults a new scheme starts from (an administrator may change them per scheme).
DEFAULT_BANDS = {
    GradeSubject.TEAM: [("good", "好", 90), ("fairly_good", "较好", 80), ("average", "一般", 60), ("poor", "差", 0)],
    GradeSubject.LEADER: [
        ("excellent", "优秀", 90),
        ("competent", "称职", 70),
        ("basically_competent", "基本称职", 60),
        ("incompetent", "不称职", 0),
    ],
}


class IndicatorQuerySet(OfSchemeQuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)


@track_history()
class Indicator(VersionedModel, ArchivableModel):
    """A quantified indicator (考核指标) owned by one assessing department."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("考核方案"), on_delete=models.PROTECT, related_name="indicators")
    department = models.CharField(_("考核部门"), max_length=32, choices=Department.choices)
    title = models.CharField(_("指标"), max_length=300)
    max_score = models.DecimalField(_("分值"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0.01)])
    quantity = models.DecimalField(
        _("数量"), max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("单位"), max_length=20, blank=True, default="")
    deadline = models.DateField(_("时间"), null=True, blank=True)
    standard = models.TextField(_("标准"), blank=True, default="")
    requirement = models.TextField(_("要求"), blank=True, default="")
    deduction_per_shortfall = models.DecimalField(
        _("每项差距扣分"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)], default=1
    )
    bonus_cap = models.DecimalField(
        _("加分上限"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)], default=0
    )
    list_items = models.ManyToManyField(
        TemplateItem, verbose_name=_("考核的责任事项"), blank=True, related_name="+", through="IndicatorListItem"
    )
    is_vague = models.BooleanField(
        _("偏虚"), default=False, editable=False, help_text=_("没有数量、时间、标准，只问是否成立、是否发文的指标。")
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["scheme", "department", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(department__in=Department.values),
                name="indicator_department_valid",
                violation_error_message=_("考核部门无效。"),
            ),
            models.CheckConstraint(
                condition=Q(max_score__gt=0),
                name="indicator_max_positive",
                violation_error_message=_("分值必须大于 0。"),
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gte=0),
                name="indicator_quantity_not_negative",
                violation_error_message=_("数量不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(bonus_cap__gte=0, deduction_per_shortfall__gte=0),
                name="indicator_rule_not_negative",
                violation_error_message=_("扣分和加分上限不能为负数。"),
            ),
        ]
        triggers = [refuse_deletes()]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        """The indicator's row on its scheme's page, which every reader of the scheme opens (the edit
        form opens only for those who define indicators)."""
        return f"{reverse('assessments:scheme_detail', args=[self.scheme_id])}#indicator-{self.pk}"


@track_links()
class IndicatorListItem(models.Model):
    """One 责任事项 an indicator assesses. The indicator's form edits them (recorded in the indicator's
    history); once the indicator is archived its items are fixed, in the database too."""

    indicator = models.ForeignKey(Indicator, verbose_name=_("考核指标"), on_delete=models.CASCADE, related_name="+")
    templateitem = models.ForeignKey(
        TemplateItem, verbose_name=_("考核的责任事项"), on_delete=models.PROTECT, related_name="+"
    )

    objects = scope.links_to("indicator")

    class Meta:
        db_table = "assessments_indicator_list_items"
        unique_together = [("indicator", "templateitem")]
        verbose_name = _("考核的责任事项")
        verbose_name_plural = _("考核的责任事项")
        triggers = [
            refuse_link_deletes_when(
                name="protect_archived",
                parent_table="assessments_indicator",
                parent_column="indicator_id",
                condition="archived_at IS NOT NULL",
                message="the items of an archived indicator are kept",
            )
        ]

    def __str__(self):
        return str(self.templateitem_id)


class InspectionKind(models.TextChoices):
    ROUTINE = "routine", _("平时检查")
    ANNUAL = "annual", _("年终考核")


class InspectionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    CONFIRMED = "confirmed", _("已确认")


@track_history()
class Inspection(VersionedModel):
    """One department's inspection of one organisation: a routine check through the year, or the year-end assessment."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("考核方案"), on_delete=models.PROTECT, related_name="inspections")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("被考核组织"), on_delete=models.PROTECT, related_name="inspections"
    )
    department = models.CharField(_("考核部门"), max_length=32, choices=Department.choices)
    kind = models.CharField(_("方式"), max_length=16, choices=InspectionKind.choices)
    date = models.DateField(_("检查日期"), default=timezone.localdate)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("考核人员"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=InspectionStatus.choices, default=InspectionStatus.DRAFT
    )
    summary = models.TextField(_("检查情况"), blank=True, default="")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    objects = AssessedQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查考核记录")
        verbose_name_plural = _("检查考核记录")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=InspectionStatus.values),
                name="inspection_status_valid",
                violation_error_message=_("状态无效。"),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=InspectionKind.values),
                name="inspection_kind_valid",
                violation_error_message=_("方式无效。"),
            ),
            models.UniqueConstraint(
                fields=["scheme", "organisation", "department"],
                condition=Q(kind="annual"),
                name="inspection_one_annual_per_department",
                violation_error_message=_("该部门对这个组织已有年终考核记录。"),
            ),
        ]
        triggers = [refuse_deletes()]

    def __str__(self):
        return f"{self.organisation} · {self.get_department_display()} · {self.get_kind_display()} · {self.date}"

    def get_absolute_url(self):
        return reverse("assessments:inspection_detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.status == InspectionStatus.CONFIRMED


@track_history()
class IndicatorScore(models.Model):
    """The score an inspection gives one indicator: the maximum less its deductions, plus a capped bonus."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("检查考核记录"), on_delete=models.PROTECT, related_name="scores"
    )
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="scores")
    bonus = models.DecimalField(_("加分"), max_digits=6, decimal_places=2, default=0, validators=[MinValueValidator(0)])
    score = models.DecimalField(_("得分"), max_digits=7, decimal_places=2)
    note = models.TextField(_("说明"), blank=True, default="")

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        ordering = ["inspection", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "indicator"],
                name="score_one_per_indicator",
                violation_error_message=_("该指标在这次检查中已有得分。"),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0), name="score_not_negative", violation_error_message=_("得分不能低于 0。")
            ),
            models.CheckConstraint(
                condition=Q(bonus__gte=0), name="bonus_not_negative", violation_error_message=_("加分不能为负数。")
            ),
        ]
        triggers = [refuse_deletes()]

    def __str__(self):
        return f"{self.indicator} {self.score}"

    @property
    def base(self):
        """The score out of the indicator's maximum, without the bonus added on top."""
        return self.score - self.bonus


@track_history()
class Deduction(models.Model):
    """One deduction with its reason (扣分及理由)."""

    indicator_score = models.ForeignKey(
        IndicatorScore, verbose_name=_("指标得分"), on_delete=models.PROTECT, related_name="deductions"
    )
    points = models.DecimalField(_("扣分"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0.01)])
    reason = models.CharField(_("扣分理由"), max_length=300)
    withdrawn = models.BooleanField(_("已撤回"), default=False)

    objects = DeductionQuerySet.as_manager()

    class Meta:
        verbose_name = _("扣分")
        verbose_name_plural = _("扣分")
        ordering = ["indicator_score", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(points__gt=0), name="deduction_positive", violation_error_message=_("扣分必须大于 0。")
            ),
        ]
        triggers = [refuse_deletes()]

    def __str__(self):
        return f"-{self.points} {self.reason}"


class EvaluationSubject(models.TextChoices):
    ORGANISATION = "organisation", _("领导班子")
    SECRETARY = "secretary", _("党委（党组）书记")
    HEARING = "hearing", _("述责述廉班子成员")


# The subjects that name one person (the round evaluates that person).
PERSONAL_SUBJECTS = (EvaluationSubject.SECRETARY, EvaluationSubject.HEARING)


class Rating(models.TextChoices):
    GOOD = "good", _("好")
    FAIRLY_GOOD = "fairly_good", _("较好")
    AVERAGE = "average", _("一般")
    POOR = "poor", _("差")


DEFAULT_QUESTIONS = [
    "落实全面从严治党主体责任情况",
    "班子成员履行“一岗双责”情况",
    "作风建设和党风廉政建设情况",
    "联系服务群众、解决群众反映问题情况",
]


def default_min_ballots() -> int:
    return settings.BALLOT_MIN_RESULTS


@track_history("slip_key")
class EvaluationRound(VersionedModel):
    """A mass evaluation (民主测评 / 群众评价) of an organisation's team or its secretary, with single-use codes."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("考核方案"), on_delete=models.PROTECT, related_name="evaluation_rounds"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("被测评组织"), on_delete=models.PROTECT, related_name="evaluation_rounds"
    )
    subject = models.CharField(_("测评对象"), max_length=16, choices=EvaluationSubject.choices)
    person = models.ForeignKey(
        Person,
        verbose_name=_("被测评书记"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluation_rounds",
    )
    questions = models.JSONField(_("测评项目"), default=list)
    issued = models.PositiveIntegerField(_("发放票数"), validators=[MinValueValidator(1), MaxValueValidator(5000)])
    quorum_percent = models.DecimalField(
        _("有效参与率（%）"), max_digits=5, decimal_places=2, validators=PERCENT, default=80
    )
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("组织人"), on_delete=models.PROTECT, related_name="+"
    )
    min_ballots = models.PositiveIntegerField(
        _("显示结果的最少有效票数"),
        default=default_min_ballots,
        validators=[MinValueValidator(1)],
        help_text=_("有效票少于此数时不显示结果，也不计入考核结果，以免从少数票推知个人的评价。"),
    )
    # The secret the slips' codes are derived from, kept only until the organiser has printed them
    # (not in the history: a history row would keep it). Voting starts once it is destroyed.
    slip_key = models.CharField(_("票码密钥"), max_length=64, blank=True, default="", editable=False)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结束人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("民主测评")
        verbose_name_plural = _("民主测评")
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="round_dates_ordered",
                violation_error_message=_("截止日期不能早于开始日期。"),
            ),
            models.CheckConstraint(
                condition=(Q(subject__in=["secretary", "hearing"]) & Q(person__isnull=False))
                | (Q(subject="organisation") & Q(person__isnull=True)),
                name="round_person_iff_personal",
                violation_error_message=_("测评书记或述责述廉班子成员时须指明个人；测评班子时不填个人。"),
            ),
        ]
        triggers = [refuse_deletes()]

    def __str__(self):
        who = self.person.name if self.person_id else self.organisation.display_name
        return f"{who} · {self.get_subject_display()}"

    def get_absolute_url(self):
        return reverse("assessments:round_detail", args=[self.pk])


# Ballot codes, the ballot box and the tallies deliberately keep no history and no time of use: a
# history row or a timestamp would let someone line up a code's use with a ballot. See the threat model
# in docs/开发说明.md ("Security: ballots").
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 10


def new_slip_key() -> str:
    return secrets.token_hex(32)


def slip_codes(slip_key: str, issued: int) -> list[str]:
    """The codes printed on a round's slips, derived from its slip key (so they need not be stored)."""
    codes = []
    for index in range(issued):
        number = int.from_bytes(hmac.new(bytes.fromhex(slip_key), str(index).encode(), hashlib.sha256).digest())
        code = []
        for _position in range(CODE_LENGTH):
            number, digit = divmod(number, len(CODE_ALPHABET))
            code.append(CODE_ALPHABET[digit])
        codes.append("".join(code))
    return codes


def code_digest(code: str) -> str:
    """What is stored of a code: a keyed hash under the server's SECRET_KEY, which no database copy holds."""
    return salted_hmac("assessments.ballot-code", code.strip().upper(), algorithm="sha256").hexdigest()


class BallotCode(models.Model):
    """A single-use code printed on a ballot slip, kept only as a keyed hash; written once, never changed.

    Whether it was used is not on this row but in the round's ballot box, so that no row version of a
    code says when it was used."""

    round = models.ForeignKey(
        EvaluationRound, verbose_name=_("民主测评"), on_delete=models.PROTECT, related_name="codes"
    )
    digest = models.CharField(_("票码摘要"), max_length=64, unique=True)

    objects = BallotCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("测评票码")
        verbose_name_plural = _("测评票码")
        ordering = ["round", "digest"]
        triggers = [refuse_deletes(), pgtrigger.Protect(name="protect_update", operation=pgtrigger.Update)]

    def __str__(self):
        return self.digest[:8]


class BallotBox(models.Model):
    """A round's ballot box: one row holding the spent codes' hashes and the ballots cast, both kept
    sorted, rewritten whole by each ballot. One row, so that neither its row version nor its place
    on disk orders the voters or ties a code to a ballot; at closing the ballots become the tallies."""

    round = models.OneToOneField(
        EvaluationRound, verbose_name=_("民主测评"), on_delete=models.PROTECT, related_name="box"
    )
    cast = models.PositiveIntegerField(_("已投票数"), default=0)
    spent = models.JSONField(_("已使用票码摘要"), default=list)
    ballots = models.JSONField(_("未计票的选票"), default=list)

    objects = OfRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("票箱")
        verbose_name_plural = _("票箱")
        triggers = [refuse_deletes()]

    def __str__(self):
        return str(self.round)


class Tally(models.Model):
    """How many ballots gave one answer to one question, written at the round's closing."""

    round = models.ForeignKey(
        EvaluationRound, verbose_name=_("民主测评"), on_delete=models.PROTECT, related_name="tallies"
    )
    question = models.PositiveSmallIntegerField(_("测评项目序号"))
    rating = models.CharField(_("评价"), max_length=16, choices=Rating.choices)
    count = models.PositiveIntegerField(_("票数"), default=0)

    objects = OfRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("计票")
        verbose_name_plural = _("计票")
        constraints = [
            models.UniqueConstraint(fields=["round", "question", "rating"], name="tally_unique"),
            models.CheckConstraint(condition=Q(rating__in=Rating.values), name="tally_rating_valid"),
        ]
        triggers = [refuse_deletes()]

    def __str__(self):
        return f"{self.question + 1}. {self.get_rating_display()}: {self.count}"


@track_history()
class Result(models.Model):
    """An organisation's merged result for a scheme (整合考核项目): parts, composite, grade, rank."""

    history_hidden_fields = ("grade",)  # the code beside its label (等次): the history shows the label

    scheme = models.ForeignKey(Scheme, verbose_name=_("考核方案"), on_delete=models.PROTECT, related_name="results")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="assessment_results"
    )
    routine = models.DecimalField(_("平时检查"), max_digits=6, decimal_places=2, null=True, blank=True)
    annual = models.DecimalField(_("年终考核"), max_digits=6, decimal_places=2, null=True, blank=True)
    mass = models.DecimalField(_("群众评价"), max_digits=6, decimal_places=2, null=True, blank=True)
    composite = models.DecimalField(_("综合得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    # The bonus points (加分) inside routine, annual and composite: each of those is a 百分制 score plus
    # these points, so a page can show the score out of 100 and the bonus beside it.
    routine_bonus = models.DecimalField(_("平时检查加分"), max_digits=6, decimal_places=2, default=0)
    annual_bonus = models.DecimalField(_("年终考核加分"), max_digits=6, decimal_places=2, default=0)
    bonus = models.DecimalField(_("综合得分中的加分"), max_digits=6, decimal_places=2, default=0)
    grade = models.CharField(_("等次代码"), max_length=20, blank=True, default="")
    grade_label = models.CharField(_("等次"), max_length=20, blank=True, default="")
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True, default="")
    computed_at = models.DateTimeField(_("计算时间"), default=timezone.now)

    objects = AssessedQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["scheme", "rank", "organisation"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "organisation"], name="result_one_per_organisation"),
        ]
        triggers = [refuse_deletes()]

    def __str__(self):
        return f"{self.organisation} {self.composite} {self.grade_label}"

    @property
    def routine_base(self):
        return _without_bonus(self.routine, self.routine_bonus)

    @property
    def annual_base(self):
        return _without_bonus(self.annual, self.annual_bonus)

    @property
    def composite_base(self):
        return _without_bonus(self.composite, self.bonus)


def _without_bonus(total, bonus):
    """The 百分制 score inside a total with bonus points: never above 100 (a rounding cent aside)."""
    return None if total is None else min(total - bonus, Decimal(100))


@track_history()
class LeaderResult(models.Model):
    """A secretary's personal result: it starts from the organisation's Party-building result."""

    history_hidden_fields = ("grade",)  # the code beside its label (等次): the history shows the label

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("考核方案"), on_delete=models.PROTECT, related_name="leader_results"
    )
    organisation = models.ForeignKey(Organisation, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, verbose_name=_("书记"), on_delete=models.PROTECT, related_name="assessment_results"
    )
    organisation_part = models.DecimalField(_("组织党建结果"), max_digits=6, decimal_places=2, null=True, blank=True)
    mass = models.DecimalField(_("民主测评"), max_digits=6, decimal_places=2, null=True, blank=True)
    hearing = models.DecimalField(_("述责述廉评议"), max_digits=6, decimal_places=2, null=True, blank=True)
    score = models.DecimalField(_("个人得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("等次代码"), max_length=20, blank=True, default="")
    grade_label = models.CharField(_("等次"), max_length=20, blank=True, default="")
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True, default="")
    computed_at = models.DateTimeField(_("计算时间"), default=timezone.now)

    objects = AssessedQuerySet.as_manager()

    class Meta:
        verbose_name = _("书记考核结果")
        verbose_name_plural = _("书记考核结果")
        ordering = ["scheme", "rank", "person"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "person"], name="leader_result_one_per_person"),
        ]
        triggers = [refuse_deletes()]

    def __str__(self):
        return f"{self.person} {self.score} {self.grade_label}"


@track_history()
class AwardNomination(models.Model):
    """A nomination for a 先进 award (评先评优), refused when the person is barred for that year."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("考核方案"), on_delete=models.PROTECT, related_name="awards")
    person = models.ForeignKey(Person, verbose_name=_("推荐对象"), on_delete=models.PROTECT, related_name="awards")
    title = models.CharField(_("先进称号"), max_length=100)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("推荐人"), on_delete=models.PROTECT, related_name="+"
    )
    nominated_at = models.DateTimeField(_("推荐时间"), default=timezone.now)

    objects = OfSchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("评先评优推荐")
        verbose_name_plural = _("评先评优推荐")
        ordering = ["scheme", "-nominated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "person", "title"],
                name="award_unique",
                violation_error_message=_("此人已被推荐该称号。"),
            ),
        ]
        triggers = [refuse_deletes()]

    def __str__(self):
        return f"{self.person} · {self.title}"


# ---- 述责述廉 (yearly reports of the team members) and their 评议 --------------------------------------


class HearingQuerySet(AssessedQuerySet):
    """A 述责述廉 round of an organisation's team: as any assessed record (the assessing level and the
    organisation's own scope read it; the assessing level changes it)."""


class OfHearingQuerySet(AssessedQuerySet):
    prefix = "hearing__"


class OfHearingReportQuerySet(scope.ScopedQuerySet):
    """A report's files and committee evaluations: seen with the report."""

    def visibility(self, user, action=scope.VIEW):
        return Q(report__in=HearingReport.objects.for_user(user, action))


DEFAULT_HEARING_QUESTIONS = ["履行全面从严治党责任情况", "履行“一岗双责”情况", "廉洁自律情况"]


@track_history()
class Hearing(VersionedModel):
    """A year's 述责述廉 of one organisation's team, held under the assessing level's scheme: each
    member in office reports once, the other members evaluate the report (评议), and a
    mass-evaluation round per member may add the masses' evaluation."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("考核方案"), on_delete=models.PROTECT, related_name="hearings")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("述责述廉组织"), on_delete=models.PROTECT, related_name="hearings"
    )
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    committee_weight = models.DecimalField(
        _("班子成员评议权重（%）"),
        max_digits=5,
        decimal_places=2,
        validators=PERCENT,
        default=50,
        help_text=_("评议结果中班子成员评议所占比重，其余为群众评议；一方没有可计入的结果时，以另一方为准。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("组织人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    objects = HearingQuerySet.as_manager()

    class Meta:
        verbose_name = _("述责述廉")
        verbose_name_plural = _("述责述廉")
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "organisation"],
                name="hearing_one_per_scheme_organisation",
                violation_error_message=_("该组织在本方案中已有述责述廉。"),
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="hearing_dates_ordered",
                violation_error_message=_("截止日期不能早于开始日期。"),
            ),
        ]
        triggers = [refuse_deletes()]

    def __str__(self):
        return f"{self.organisation.display_name} · {self.scheme.year} 年述责述廉"

    def get_absolute_url(self):
        return reverse("assessments:hearing_detail", args=[self.pk])

    @property
    def year(self):
        return self.scheme.year

    def is_open(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


@track_history()
class HearingReport(VersionedModel):
    """One member's 述责述廉报告 for a year: text and files, tied to his personal list of that year."""

    hearing = models.ForeignKey(Hearing, verbose_name=_("述责述廉"), on_delete=models.PROTECT, related_name="reports")
    person = models.ForeignKey(
        Person, verbose_name=_("述职人"), on_delete=models.PROTECT, related_name="hearing_reports"
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    responsibility_list = models.ForeignKey(
        ResponsibilityList,
        verbose_name=_("个人责任清单"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("述责述廉报告"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now, editable=False)

    objects = OfHearingQuerySet.as_manager()

    class Meta:
        verbose_name = _("述责述廉报告")
        verbose_name_plural = _("述责述廉报告")
        ordering = ["hearing", "person__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year"],
                name="hearing_report_one_per_person_year",
                violation_error_message=_("本人该年度的述责述廉报告已经提交，每年只提交一份。"),
            ),
        ]
        triggers = [refuse_deletes()]

    def __str__(self):
        return f"{self.person.name} · {self.year} 年述责述廉报告"

    def get_absolute_url(self):
        return reverse("assessments:hearing_report", args=[self.pk])


def hearing_file_path(instance, filename):
    return uploads.stored_name("hearings", filename)


@track_history()
class HearingFile(models.Model):
    """A file attached to a 述责述廉报告, checked as task evidence is (core.uploads)."""

    report = models.ForeignKey(
        HearingReport, verbose_name=_("述责述廉报告"), on_delete=models.PROTECT, related_name="files"
    )
    file = models.FileField(_("文件"), upload_to=hearing_file_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now, editable=False)

    objects = OfHearingReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("述责述廉报告佐证材料")
        verbose_name_plural = _("述责述廉报告佐证材料")
        ordering = ["report", "pk"]
        triggers = [refuse_deletes()]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("assessments:hearing_file", args=[self.pk])


@track_history()
class HearingEvaluation(models.Model):
    """One committee member's 评议 of another member's report: a 等次 (好/较好/一般/差) or a score out
    of 100, never both; never of his own report (the service refuses it, the database too)."""

    report = models.ForeignKey(
        HearingReport, verbose_name=_("述责述廉报告"), on_delete=models.PROTECT, related_name="evaluations"
    )
    # The report's author, copied so that the database itself refuses a self-evaluation.
    subject = models.ForeignKey(Person, verbose_name=_("述职人"), on_delete=models.PROTECT, related_name="+")
    evaluator = models.ForeignKey(
        Person, verbose_name=_("评议人"), on_delete=models.PROTECT, related_name="hearing_evaluations"
    )
    rating = models.CharField(_("评议等次"), max_length=16, choices=Rating.choices, blank=True, default="")
    score = models.DecimalField(
        _("评议得分"), max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    comment = models.CharField(_("评议意见"), max_length=500, blank=True, default="")
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+"
    )
    evaluated_at = models.DateTimeField(_("评议时间"), default=timezone.now, editable=False)

    objects = OfHearingReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("班子成员评议")
        verbose_name_plural = _("班子成员评议")
        ordering = ["report", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "evaluator"],
                name="hearing_evaluation_once",
                violation_error_message=_("您已评议过这份报告。"),
            ),
            models.CheckConstraint(
                condition=~Q(subject=F("evaluator")),
                name="hearing_evaluation_not_self",
                violation_error_message=_("不能评议本人的述责述廉报告。"),
            ),
            models.CheckConstraint(
                condition=(Q(rating="") & Q(score__isnull=False) & Q(score__gte=0) & Q(score__lte=100))
                | (Q(rating__in=Rating.values) & Q(score__isnull=True)),
                name="hearing_evaluation_rating_or_score",
                violation_error_message=_("请选择评议等次或填写评议得分（二选一）。"),
            ),
        ]
        triggers = [refuse_deletes()]

    def __str__(self):
        return f"{self.evaluator_id} → {self.report_id}"


# ---- The annual 主体责任 report ------------------------------------------------------------------


class ReportStatus(models.TextChoices):
    DRAFT = rules.R_DRAFT, _("草稿")
    SUBMITTED = rules.R_SUBMITTED, _("待书记确认")
    CONFIRMED = rules.R_CONFIRMED, _("已报送")
    RECEIVED = rules.R_RECEIVED, _("已接收")
    RETURNED = rules.R_RETURNED, _("已退回")


class AnnualReportQuerySet(scope.ScopedQuerySet):
    def visibility(self, user, action=scope.VIEW):
        """A committee's document: read as its committee list is (office staff, inspectors, administrators
        and leaders of its subtree, upper levels included, and its secretary); changed by office staff
        and administrators of its subtree (who may do which step is ``assessments.permissions``)."""
        if action != scope.VIEW:
            return scope.within(scope.scope_paths(user, action), field="organisation__path")
        roles = {"office_staff", "inspector", "admin", "leader"}
        allowed = scope.within(scope.scope_paths(user, scope.VIEW, roles=roles), field="organisation__path")
        allowed |= Q(organisation__in=TeamMembership.objects.secretary_of(user, timezone.localdate()))
        return allowed


@track_history()
class AnnualReport(VersionedModel):
    """A 党委（党组）'s yearly report to the organisation above it on how it carried out its 主体责任
    (年度履行全面从严治党主体责任情况报告): drafted from the year's data, edited by its office, confirmed
    by its secretary, received (or returned) by the upper level."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("报告单位"), on_delete=models.PROTECT, related_name="annual_reports"
    )
    recipient = models.ForeignKey(Organisation, verbose_name=_("主送机关"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(
        _("正文"),
        help_text=_("标题行以“一、”“（一）”开头；每段一行。"),
    )
    issuer_name = models.CharField(_("落款单位"), max_length=100)
    status = models.CharField(_("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("起草人"), on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(_("起草时间"), default=timezone.now, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    issued_on = models.DateField(_("成文日期"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    received_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回原因"), blank=True, default="")

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度主体责任报告")
        verbose_name_plural = _("年度主体责任报告")
        ordering = ["-year", "organisation__path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values),
                name="annual_report_status_valid",
                violation_error_message=_("状态无效。"),
            ),
            models.UniqueConstraint(
                fields=["organisation", "year"],
                name="annual_report_one_per_year",
                violation_error_message=_("该组织本年度已有主体责任报告。"),
            ),
            models.CheckConstraint(
                condition=~Q(recipient=F("organisation")),
                name="annual_report_to_another_organ",
                violation_error_message=_("主送机关不能是报告单位本身。"),
            ),
            # Confirmed (报送) and received carry who and when; a draft carries neither.
            models.CheckConstraint(
                condition=~Q(status__in=sorted(rules.REPORT_REPORTED))
                | Q(confirmed_by__isnull=False, confirmed_at__isnull=False, issued_on__isnull=False),
                name="annual_report_confirmed_who_and_when",
                violation_error_message=_("已报送的报告必须记录确认人、报送时间和成文日期。"),
            ),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.RECEIVED) | Q(received_by__isnull=False, received_at__isnull=False),
                name="annual_report_received_who_and_when",
                violation_error_message=_("已接收的报告必须记录接收人和时间。"),
            ),
        ]
        triggers = [refuse_deletes()]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("assessments:report_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in rules.REPORT_EDITABLE

    @property
    def is_reported(self) -> bool:
        return self.status in rules.REPORT_REPORTED
