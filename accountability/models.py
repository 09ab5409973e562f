"""Accountability (问责): versioned rule sets, the negative list, cases, decisions, restrictions, early signs."""

import re

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability import rules
from accountability.permissions import case_handler_paths
from core import scope
from core.models import VersionedModel, refuse_deletes, track_history, track_links
from core.reversing import reverse_pk
from core.search import trigram_index
from responsibilities.models import (
    DateRange,
    Organisation,
    Person,
    ResponsibilityList,
    Task,
    TeamMembership,
    TeamRole,
    TemplateItem,
)


class RuleSetStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class RuleSetQuerySet(scope.ScopedQuerySet):
    def visibility(self, user, action=scope.VIEW):
        """Published rule sets are read by every user (officials check themselves against them).
        Drafts are seen and changed by the administrators of the organisation that drafts them
        (and above); ``change`` is only ever a draft."""
        drafts = Q(status=RuleSetStatus.DRAFT)
        if not user.is_superuser:
            drafts &= scope.within(scope.scope_paths(user, scope.VIEW, roles={"admin"}), field="owner__path")
        if action == scope.CHANGE:
            return drafts
        return Q(status=RuleSetStatus.PUBLISHED) | drafts


class OfRuleSetQuerySet(scope.ScopedQuerySet):
    """A rule set's measures and consequences: seen and changed with their rule set."""

    rule_set = "rule_set"

    def visibility(self, user, action=scope.VIEW):
        return Q(**{f"{self.rule_set}__in": RuleSet.objects.for_user(user, action)})


class ConsequenceQuerySet(OfRuleSetQuerySet):
    rule_set = "measure__rule_set"


@track_history()
class RuleSet(VersionedModel):
    """A set of accountability rules (measures, sanctions, consequences), applied where an organisation
    has adopted it; a draft until published, read-only from then on."""

    name = models.CharField(_("名称"), max_length=200)
    source = models.TextField(_("依据"), blank=True, default="")
    effective_from = models.DateField(_("施行日期"), help_text=_("最早可以从这一天起采用。"))
    status = models.CharField(_("状态"), max_length=16, choices=RuleSetStatus.choices, default=RuleSetStatus.DRAFT)
    is_default = models.BooleanField(
        _("产品默认"), default=False, help_text=_("新建的顶级组织自该规则版本施行之日起采用它。")
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("复制自"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="copies",
    )
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("制定单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("草稿由该单位及上级的系统管理员编辑；预置的规则版本不属于任何单位。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = RuleSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("问责规则版本")
        verbose_name_plural = _("问责规则版本")
        ordering = ["-effective_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RuleSetStatus.values),
                name="rule_set_status_valid",
                violation_error_message=_("规则版本状态无效。"),
            ),
            models.CheckConstraint(
                condition=Q(status=RuleSetStatus.DRAFT) | Q(published_at__isnull=False),
                name="rule_set_published_has_date",
                violation_error_message=_("已发布的规则版本必须有发布时间。"),
            ),
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="rule_set_one_default",
                violation_error_message=_("只能有一个产品默认的规则版本。"),
            ),
            models.CheckConstraint(
                condition=Q(is_default=False) | Q(status=RuleSetStatus.PUBLISHED),
                name="rule_set_default_is_published",
                violation_error_message=_("产品默认的规则版本必须已发布。"),
            ),
        ]
        triggers = [refuse_deletes()]

    def __str__(self):
        return f"{self.name}（{self.effective_from:%Y-%m-%d} 起）"

    def get_absolute_url(self):
        return reverse("accountability:rule_set_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == RuleSetStatus.DRAFT


class MeasureCategory(models.TextChoices):
    ACCOUNTABILITY = "accountability", _("问责方式")
    PARTY_DISCIPLINE = "party_discipline", _("党纪处分")
    GOVERNMENT_SANCTION = "government_sanction", _("政务处分")


PRINT_QUALIFIER = re.compile(r"^(?P<base>.+)（(?P<qualifier>组织|个人|党纪|政务)）$")
# How a decision names a measure whose rule-set name carries a qualifier: 通报（组织） → 通报,
# 警告（党纪） → 党内警告, 警告（政务） → 政务警告.
PRINT_PREFIX = {"组织": "", "个人": "", "党纪": "党内", "政务": "政务"}


@track_history()
class Measure(models.Model):
    """A measure of a rule set: an accountability measure (约谈诫勉 …) or a discipline sanction."""

    rule_set = models.ForeignKey(RuleSet, verbose_name=_("规则版本"), on_delete=models.PROTECT, related_name="measures")
    category = models.CharField(_("类别"), max_length=32, choices=MeasureCategory.choices)
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=50)
    severity = models.PositiveSmallIntegerField(_("轻重顺序"), help_text=_("数字越大越重。"))
    for_individuals = models.BooleanField(_("适用于个人"), default=True)
    for_organisations = models.BooleanField(_("适用于组织"), default=False)
    source = models.TextField(_("依据"), blank=True, default="", help_text=_("文章的章节，或法规的名称和条款。"))
    is_active = models.BooleanField(_("在用"), default=True, help_text=_("草稿中撤销的问责方式不再适用，记录保留。"))

    objects = OfRuleSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("问责方式或处分")
        verbose_name_plural = _("问责方式和处分")
        ordering = ["rule_set", "category", "severity"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "code"],
                name="measure_code_unique",
                violation_error_message=_("同一规则版本中代码不能重复。"),
            ),
            models.CheckConstraint(
                condition=Q(category__in=MeasureCategory.values),
                name="measure_category_valid",
                violation_error_message=_("类别无效。"),
            ),
            models.CheckConstraint(
                condition=Q(for_individuals=True) | Q(for_organisations=True),
                name="measure_has_subject",
                violation_error_message=_("至少适用于个人或组织之一。"),
            ),
        ]
        triggers = [refuse_deletes()]

    def __str__(self):
        return self.name

    @property
    def printed_name(self) -> str:
        """The name as a decision prints it: without the qualifier that tells apart, in the rule set's
        own lists, measures of the same word ("通报（组织）" beside "通报" prints "通报")."""
        found = PRINT_QUALIFIER.match(self.name)
        return PRINT_PREFIX[found["qualifier"]] + found["base"] if found else self.name


class RestrictionKind(models.TextChoices):
    NO_AWARD = rules.NO_AWARD, _("取消当年考核评优和评选各类先进的资格")
    NO_PROMOTION = rules.NO_PROMOTION, _("不得提拔（提升职务）")
    NO_POST = rules.NO_POST, _("不得安排职务")
    NO_HIGHER_POST = rules.NO_HIGHER_POST, _("不得担任高于原任职务层次的职务")
    NO_EQUAL_OR_HIGHER_POST = rules.NO_EQUAL_OR_HIGHER_POST, _("不得担任与原任职务相当或者更高的职务")
    NO_REJOIN_PARTY = rules.NO_REJOIN_PARTY, _("不得重新入党")


@track_history()
class Consequence(models.Model):
    """What a measure entails (动真碰硬): a kind of restriction for a number of months, or for that year."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("问责方式或处分"), on_delete=models.PROTECT, related_name="consequences"
    )
    kind = models.CharField(_("影响"), max_length=32, choices=RestrictionKind.choices)
    months = models.PositiveSmallIntegerField(
        _("期限（月）"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("留空表示“当年”：到作出决定那一年的 12 月 31 日为止。"),
    )
    source = models.TextField(_("依据"), blank=True, default="", help_text=_("文章的章节，或法规的名称和条款。"))
    is_active = models.BooleanField(_("在用"), default=True, help_text=_("草稿中撤销的影响不再适用，记录保留。"))

    objects = ConsequenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("影响期规则")
        verbose_name_plural = _("影响期规则")
        ordering = ["measure", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RestrictionKind.values),
                name="consequence_kind_valid",
                violation_error_message=_("影响类别无效。"),
            ),
            models.CheckConstraint(
                condition=Q(months__isnull=True) | Q(months__gte=1),
                name="consequence_months_positive",
                violation_error_message=_("期限至少 1 个月。"),
            ),
        ]
        triggers = [refuse_deletes()]

    def __str__(self):
        span = _("当年") if self.months is None else _("%(n)s 个月") % {"n": self.months}
        return f"{self.get_kind_display()}（{span}）"


@track_history()
class RuleSetAdoption(models.Model):
    """An organisation's decision that a rule set binds it and its subtree from a date (a province's
    实施办法, a department's own regulations): who decided, when, and by which document."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("采用组织"), on_delete=models.PROTECT, related_name="rule_set_adoptions"
    )
    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("规则版本"), on_delete=models.PROTECT, related_name="adoptions"
    )
    effective_from = models.DateField(_("起用日期"))
    effective_until = models.DateField(
        _("截止日期"), null=True, blank=True, help_text=_("最后适用的一天；留空表示长期有效。")
    )
    decided_by_body = models.CharField(_("决定机关"), max_length=100)
    decided_on = models.DateField(_("决定日期"))
    document = models.CharField(_("文件名称和文号"), max_length=200, blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("录入时间"), default=timezone.now, editable=False)

    objects = scope.PublicQuerySet.as_manager()

    class Meta:
        verbose_name = _("规则采用")
        verbose_name_plural = _("规则采用")
        ordering = ["organisation__path", "effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True) | Q(effective_until__gte=models.F("effective_from")),
                name="adoption_dates_ordered",
                violation_error_message=_("截止日期不能早于起用日期。"),
            ),
            # One organisation's adoptions never overlap: on any day at most one binds its subtree.
            ExclusionConstraint(
                name="adoption_no_overlap",
                expressions=[
                    ("organisation", RangeOperators.EQUAL),
                    (DateRange("effective_from", "effective_until"), RangeOperators.OVERLAPS),
                ],
                violation_error_message=_("同一组织的规则采用在时间上不能重叠。"),
            ),
        ]
        triggers = [refuse_deletes()]

    def __str__(self):
        return f"{self.organisation.name} · {self.rule_set.name}（{self.effective_from:%Y-%m-%d} 起）"

    def as_rule(self) -> rules.Adoption:
        return rules.Adoption(
            self.pk, self.organisation.path, self.rule_set_id, self.effective_from, self.effective_until
        )


class Subject(models.TextChoices):
    """Whom a situation of the negative list, or a case, concerns (实事求是：是谁的责任就追究谁的责任)."""

    COMMITTEE = "committee", _("党委（党组）")
    DEPARTMENT = "department", _("职能部门")
    SECRETARY = "secretary", _("党委（党组）书记")
    LEADER_IN_CHARGE = "leader_in_charge", _("分管领导")
    MEMBER = "member", _("班子其他成员")

    @classmethod
    def for_team_role(cls, role: str) -> "Subject":
        return {
            TeamRole.SECRETARY: cls.SECRETARY,
            TeamRole.LEADER_IN_CHARGE: cls.LEADER_IN_CHARGE,
            TeamRole.MEMBER: cls.MEMBER,
        }[role]


@track_history()
class Situation(VersionedModel):
    """A situation of the negative list (负面清单 · 追责情形), written so officials can check themselves."""

    code = models.CharField(_("编号"), max_length=20, unique=True, error_messages={"unique": _("编号已被使用。")})
    title = models.CharField(_("情形"), max_length=200)
    description = models.TextField(_("具体表现"))
    subjects = models.JSONField(
        _("适用对象"), default=list, help_text=_("党委（党组）、职能部门、书记、分管领导、班子其他成员中的一个或多个。")
    )
    failed_items = models.ManyToManyField(
        TemplateItem, verbose_name=_("对应责任事项"), blank=True, related_name="+", through="SituationFailedItem"
    )
    is_active = models.BooleanField(_("在用"), default=True)

    objects = scope.PublicQuerySet.as_manager()

    class Meta:
        verbose_name = _("追责情形")
        verbose_name_plural = _("负面清单")
        ordering = ["code"]
        triggers = [refuse_deletes()]

    def __str__(self):
        return f"{self.code} {self.title}"

    def subject_labels(self) -> list[str]:
        labels = dict(Subject.choices)
        return [labels[s] for s in self.subjects if s in labels]


@track_links()
class SituationFailedItem(models.Model):
    """One 责任事项 whose failure a situation of the negative list describes. Administrators edit them
    (recorded with who and when)."""

    situation = models.ForeignKey(Situation, verbose_name=_("追责情形"), on_delete=models.CASCADE, related_name="+")
    templateitem = models.ForeignKey(
        TemplateItem, verbose_name=_("对应责任事项"), on_delete=models.PROTECT, related_name="+"
    )

    objects = scope.PublicQuerySet.as_manager()  # public, as the negative list is

    class Meta:
        # The table Django created for the set before it had a model: same name, same unique pair.
        db_table = "accountability_situation_failed_items"
        unique_together = [("situation", "templateitem")]
        verbose_name = _("对应责任事项")
        verbose_name_plural = _("对应责任事项")

    def __str__(self):
        return str(self.templateitem_id)


class CaseStatus(models.TextChoices):
    FILED = rules.FILED, _("立案")
    INVESTIGATING = rules.INVESTIGATING, _("调查")
    REVIEWING = rules.REVIEWING, _("审理")
    DECIDED = rules.DECIDED, _("已决定")
    EXECUTED = rules.EXECUTED, _("已执行")
    CLOSED = rules.CLOSED, _("结案")


class Exemption(models.TextChoices):
    """An outcome of review without accountability (《中国共产党问责条例》（2019）：不予或者免予问责)."""

    NOT_HELD = "not_held", _("不予问责")
    EXEMPTED = "exempted", _("免予问责")


class ExemptionGround(models.TextChoices):
    """The grounds the 2019 regulations name for not holding or exempting someone to account."""

    NOT_ESTABLISHED = "not_established", _("经调查审理，不存在应当问责的失职失责情形")
    REFORM_TRIAL = (
        "reform_trial",
        _("在推进改革中因缺乏经验、先行先试出现的失误，探索性试验中的失误，为推动发展的无意过失"),
    )
    OBJECTED = "objected", _("在集体决策中对错误决策提出明确反对意见或者保留意见")
    DUTY_DONE = "duty_done", _("在决策实施中已经履职尽责，但因不可抗力、难以预见等因素造成损失")
    OTHER = "other", _("其他依规可以不予或者免予问责的情形")


class Responsibility(models.TextChoices):
    COLLECTIVE = "collective", _("集体责任")
    INDIVIDUAL = "individual", _("个人责任")


class Severity(models.TextChoices):
    MINOR = "minor", _("情节较轻")
    SERIOUS = "serious", _("情节较重")
    GRAVE = "grave", _("情节严重")


class CaseQuerySet(scope.ScopedQuerySet):
    def visibility(self, user, action=scope.VIEW):
        """Confidential: 纪检 and 组织 inspectors and administrators of the subject's organisation and
        above, and the subject person for his or her own decided case. Not other office staff."""
        allowed = scope.within(case_handler_paths(user), field="organisation__path")
        if action == scope.VIEW:
            allowed |= Q(person__user=user, status__in=[CaseStatus.DECIDED, CaseStatus.EXECUTED, CaseStatus.CLOSED])
        return allowed

    def handled_by(self, user):
        """The cases the user handles: the subject of a decided case sees its decision, not who handled
        it nor its internal steps (its history page)."""
        return self.filter(scope.within(case_handler_paths(user), field="organisation__path"))


class DecisionQuerySet(scope.ScopedQuerySet):
    def visibility(self, user, action=scope.VIEW):
        """A decision is seen with its case."""
        return Q(case__in=Case.objects.for_user(user, action))


@track_history()
class Case(VersionedModel):
    """An accountability case (问责案件) about an organisation or a person."""

    number = models.CharField(
        _("案件编号"), max_length=40, unique=True, error_messages={"unique": _("案件编号已被使用。")}
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("所在组织"), on_delete=models.PROTECT, related_name="accountability_cases"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("被问责人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accountability_cases",
    )
    subject = models.CharField(_("责任主体"), max_length=32, choices=Subject.choices)
    responsibility = models.CharField(_("责任类型"), max_length=16, choices=Responsibility.choices)
    situations = models.ManyToManyField(
        Situation, verbose_name=_("追责情形"), related_name="cases", through="CaseSituation"
    )
    facts = models.TextField(_("主要事实"))
    facts_date = models.DateField(_("事实发生日期"))
    severity = models.CharField(_("情节"), max_length=16, choices=Severity.choices)
    circumstances = models.TextField(_("从轻、减轻或免责情节"), blank=True, default="")
    exemption = models.CharField(_("不予或免予问责"), max_length=16, choices=Exemption.choices, blank=True, default="")
    exemption_ground = models.CharField(
        _("不予或免予问责的依据"), max_length=32, choices=ExemptionGround.choices, blank=True, default=""
    )
    status = models.CharField(_("状态"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.FILED)
    closing_note = models.TextField(_("结案说明"), blank=True, default="")
    filed_on = models.DateField(_("立案日期"), default=timezone.localdate)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("立案人"), on_delete=models.PROTECT, related_name="+"
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("问责案件")
        verbose_name_plural = _("问责案件")
        ordering = ["-filed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CaseStatus.values),
                name="case_status_valid",
                violation_error_message=_("案件状态无效。"),
            ),
            models.CheckConstraint(
                condition=Q(subject__in=Subject.values),
                name="case_subject_valid",
                violation_error_message=_("责任主体无效。"),
            ),
            # The committee is answerable as a body (no person); the secretary, the leader in charge and
            # other members as persons; a functional department either as a body or through the person
            # responsible in it.
            models.CheckConstraint(
                condition=(Q(subject=Subject.COMMITTEE) & Q(person__isnull=True))
                | Q(subject=Subject.DEPARTMENT)
                | (~Q(subject__in=[Subject.COMMITTEE, Subject.DEPARTMENT]) & Q(person__isnull=False)),
                name="case_person_matches_subject",
                violation_error_message=_(
                    "问责党委（党组）时不填被问责人；问责书记、分管领导或班子成员时必须选择被问责人。"
                ),
            ),
            # Collective responsibility is a body's; a person answers individually.
            models.CheckConstraint(
                condition=(Q(person__isnull=True) & Q(responsibility="collective"))
                | (Q(person__isnull=False) & Q(responsibility="individual")),
                name="case_responsibility_matches_person",
                violation_error_message=_("问责组织为集体责任，问责个人为个人责任。"),
            ),
            # Not holding or exempting someone to account is an outcome with its ground, and closes the case.
            models.CheckConstraint(
                condition=(Q(exemption="") & Q(exemption_ground=""))
                | (
                    Q(exemption__in=Exemption.values)
                    & Q(exemption_ground__in=ExemptionGround.values)
                    & Q(status=CaseStatus.CLOSED)
                ),
                name="case_exemption_has_ground",
                violation_error_message=_("不予或免予问责须写明依据，并以结案告终。"),
            ),
        ]
        # The header search matches case numbers and facts through trigrams (core.search).
        indexes = [trigram_index("number", "facts", name="case_search_trgm")]
        triggers = [refuse_deletes()]

    def __str__(self):
        who = self.person.name if self.person_id else self.organisation.display_name
        return f"{self.number} {who}"

    def get_absolute_url(self):
        return reverse_pk("accountability:case_detail", self.pk)

    @property
    def is_about_person(self) -> bool:
        return self.person_id is not None

    @property
    def exempted(self) -> bool:
        return bool(self.exemption)


@track_links()
class CaseSituation(models.Model):
    """One situation of the negative list a case is filed under. Chosen at filing and never changed:
    the database refuses removing one."""

    case = models.ForeignKey("Case", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="+")
    situation = models.ForeignKey(Situation, verbose_name=_("追责情形"), on_delete=models.PROTECT, related_name="+")

    objects = scope.links_to("case")

    class Meta:
        db_table = "accountability_case_situations"
        unique_together = [("case", "situation")]
        verbose_name = _("追责情形")
        verbose_name_plural = _("追责情形")
        triggers = [refuse_deletes()]

    def __str__(self):
        return str(self.situation_id)


@track_history()
class Decision(models.Model):
    """The decision on a case (问责决定): measures, date, deciding body, sanctions; judged by the rule set
    in force on its date."""

    case = models.OneToOneField(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="decision")
    rule_set = models.ForeignKey(RuleSet, verbose_name=_("适用规则版本"), on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("决定日期"))
    deciding_body = models.CharField(_("决定机关"), max_length=100)
    deciding_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("决定机关所在组织"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("按其（未选择时按案件所在组织）及上级组织采用的规则判定。"),
    )
    adoption = models.ForeignKey(
        RuleSetAdoption,
        verbose_name=_("依据的规则采用"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    document_number = models.CharField(_("决定文号"), max_length=60, blank=True, default="")
    measures = models.ManyToManyField(
        Measure, verbose_name=_("问责方式和处分"), related_name="decisions", through="DecisionMeasure"
    )
    judicial_transfer = models.BooleanField(_("移送司法机关"), default=False)
    reasoning = models.TextField(_("决定理由"), blank=True, default="")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("录入时间"), default=timezone.now, editable=False)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("问责决定")
        verbose_name_plural = _("问责决定")
        ordering = ["-decided_on"]
        triggers = [refuse_deletes()]

    def __str__(self):
        return f"{self.case.number} · {self.decided_on:%Y-%m-%d}"


@track_links()
class DecisionMeasure(models.Model):
    """One measure a decision imposes. Recorded with the decision and never changed: the database
    refuses removing one."""

    decision = models.ForeignKey(Decision, verbose_name=_("问责决定"), on_delete=models.CASCADE, related_name="+")
    measure = models.ForeignKey(Measure, verbose_name=_("问责方式和处分"), on_delete=models.PROTECT, related_name="+")

    objects = scope.links_to("decision")

    class Meta:
        db_table = "accountability_decision_measures"
        unique_together = [("decision", "measure")]
        verbose_name = _("问责方式和处分")
        verbose_name_plural = _("问责方式和处分")
        triggers = [refuse_deletes()]

    def __str__(self):
        return str(self.measure_id)


class RestrictionQuerySet(scope.ScopedQuerySet):
    def visibility(self, user, action=scope.VIEW):
        """Confidential like the cases: their handlers over the person's organisation, and the person."""
        allowed = scope.within(case_handler_paths(user), field="person__home_organisation__path")
        return allowed | Q(person__user=user) if action == scope.VIEW else allowed

    def in_force_on(self, day):
        return self.filter(starts_on__lte=day, ends_on__gt=day)


@track_history()
class Restriction(models.Model):
    """A restriction (影响期) a decision imposed on a person, from the decision date up to ``ends_on``
    (the first day of eligibility again), and the rule that imposed it."""

    person = models.ForeignKey(Person, verbose_name=_("干部"), on_delete=models.PROTECT, related_name="restrictions")
    decision = models.ForeignKey(
        Decision, verbose_name=_("问责决定"), on_delete=models.PROTECT, related_name="restrictions"
    )
    consequence = models.ForeignKey(
        Consequence, verbose_name=_("依据的影响期规则"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("影响"), max_length=32, choices=RestrictionKind.choices)
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("恢复资格日期"), help_text=_("从这一天起不再受限。"))

    objects = RestrictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("影响期")
        verbose_name_plural = _("影响期")
        ordering = ["person", "kind", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="restriction_dates_ordered",
                violation_error_message=_("恢复资格日期必须晚于起始日期。"),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=RestrictionKind.values),
                name="restriction_kind_valid",
                violation_error_message=_("影响类别无效。"),
            ),
        ]
        indexes = [models.Index(fields=["person", "kind", "ends_on"], name="restriction_person_kind_idx")]
        triggers = [refuse_deletes()]

    def __str__(self):
        return f"{self.person} · {self.get_kind_display()} · {self.starts_on:%Y-%m-%d}—{self.ends_on:%Y-%m-%d}"


class InterventionKind(models.TextChoices):
    REMIND = rules.REMIND, _("提醒")
    CRITICISE = rules.CRITICISE, _("批评教育")
    TALK = rules.TALK, _("约谈")


class InterventionQuerySet(scope.ScopedQuerySet):
    def visibility(self, user, action=scope.VIEW, recipient=False):
        """Office staff, administrators and inspectors in scope; a secretary for his or her own organisation.

        ``recipient=True`` (the 已阅/反馈 page and the 工作台) also opens to the person it concerns his
        or her own reminders, criticisms and talks; the early warning's lists keep the narrower rule.
        """
        roles = {"office_staff", "admin", "inspector"} if action == scope.VIEW else None
        allowed = scope.within(scope.scope_paths(user, action, roles=roles), field="organisation__path")
        allowed |= Q(organisation__in=TeamMembership.objects.secretary_of(user, timezone.localdate()))
        if recipient and action == scope.VIEW:
            # A subquery rather than a join, so that the planner keeps the indexes for the other parts.
            allowed |= Q(person__in=Person.objects.filter(user=user).values("pk"))
        return allowed


@track_history()
class Intervention(models.Model):
    """An early-sign measure (苗头性、倾向性问题): a reminder, a criticism or a talk, with its follow-up."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="interventions"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("对象"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interventions",
        help_text=_("对组织的提醒、约谈可不填个人。"),
    )
    task = models.ForeignKey(
        Task, verbose_name=_("相关任务"), on_delete=models.PROTECT, null=True, blank=True, related_name="interventions"
    )
    responsibility_list = models.ForeignKey(
        ResponsibilityList,
        verbose_name=_("相关清单"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interventions",
    )
    kind = models.CharField(_("方式"), max_length=16, choices=InterventionKind.choices)
    date = models.DateField(_("日期"), default=timezone.localdate)
    reason = models.TextField(_("事由"))
    follow_up = models.TextField(_("跟进情况"), blank=True, default="")
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("实施人"), on_delete=models.PROTECT, related_name="+"
    )
    # The recipient's trace of having heard it: when, by whom (the person, or for an organisation one
    # of its office staff or its secretary) and the answer (反馈).
    acknowledged_at = models.DateTimeField(_("已阅时间"), null=True, blank=True, editable=False)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("已阅人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    feedback = models.TextField(_("反馈"), blank=True, default="", editable=False)

    objects = InterventionQuerySet.as_manager()

    class Meta:
        verbose_name = _("提醒、批评和约谈")
        verbose_name_plural = _("提醒、批评和约谈")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=InterventionKind.values),
                name="intervention_kind_valid",
                violation_error_message=_("方式无效。"),
            ),
        ]
        # 预警提醒's ten newest (accountability.selectors.recent_interventions), read in this order.
        indexes = [models.Index(fields=["-date", "-id"], name="intervention_newest")]
        triggers = [refuse_deletes()]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.person or self.organisation}"

    def get_absolute_url(self):
        return reverse("accountability:intervention_acknowledge", args=[self.pk])

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None
