"""Organisations, people, leadership teams and the users' assignments to organisations."""

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeBoundary, RangeOperators
from django.db import models
from django.db.models import Func, Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from core import scope
from core.models import ArchivableModel, VersionedModel, refuse_deletes, track_history
from core.reversing import reverse_pk
from core.search import bigram_index, trigram_index


class DateRange(Func):
    """PostgreSQL daterange(start, end, '[]'): both ends inclusive, a NULL end is open."""

    function = "DATERANGE"
    output_field = DateRangeField()

    def __init__(self, start, end):
        super().__init__(start, end, RangeBoundary(inclusive_lower=True, inclusive_upper=True))


class OrganisationKind(models.TextChoices):
    COMMITTEE = "committee", _("党委")
    LEADING_GROUP = "leading_group", _("党组")
    WORKING_COMMITTEE = "working_committee", _("党工委")
    ORGAN_COMMITTEE = "organ_committee", _("机关党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")


class OrganisationQuerySet(scope.ScopedQuerySet, MP_NodeQuerySet):
    def visibility(self, user, action):
        """The organisations in the subtrees the user is assigned to for this action."""
        return scope.within(scope.scope_paths(user, action))

    def active(self):
        return self.filter(archived_at__isnull=True)

    def subtree(self, organisation, include_self=True):
        """The organisation and everything below it: one indexed prefix query on ``path``."""
        queryset = self.filter(path__startswith=organisation.path)
        return queryset if include_self else queryset.exclude(pk=organisation.pk)


class OrganisationManager(MP_NodeManager.from_queryset(OrganisationQuerySet)):
    def get_queryset(self):
        return OrganisationQuerySet(self.model, using=self._db).order_by("path")


@track_history("numchild")
class Organisation(VersionedModel, ArchivableModel, MP_Node):
    """A Party organisation (党组织) in the tree: province → city → county → organ."""

    # Byte-wise collation: ordering is the tree order and prefix LIKE can use the unique index.
    path = models.CharField(_("树路径"), max_length=255, unique=True, db_collation="C", editable=False)
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True, default="")
    code = models.CharField(
        _("组织代码"),
        max_length=32,
        unique=True,
        help_text=_("本系统内唯一，例如 37-01-02。"),
        error_messages={"unique": _("组织代码已被其他组织使用。")},
    )
    kind = models.CharField(_("组织类型"), max_length=32, choices=OrganisationKind.choices)

    objects = OrganisationManager()

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values),
                name="organisation_kind_valid",
                violation_error_message=_("组织类型无效。"),
            ),
            models.CheckConstraint(
                condition=~Q(code=""),
                name="organisation_code_not_empty",
                violation_error_message=_("请填写组织代码。"),
            ),
        ]
        # The header search matches substrings (Chinese included) through trigrams (core.search); on
        # UPPER(column), which is what ``icontains`` compares.
        indexes = [
            trigram_index("name", "short_name", "code", name="organisation_search_trgm"),
            bigram_index("name", "short_name", "code", name="organisation_search_bigrams"),
        ]
        triggers = [refuse_deletes()]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_pk("responsibilities:organisation_detail", self.pk)

    @property
    def display_name(self):
        return self.short_name or self.name

    @property
    def parent_path(self):
        return self.path[: -self.steplen]

    def ancestor_paths(self):
        """Paths of every ancestor, root first (no query)."""
        return [self.path[:end] for end in range(self.steplen, len(self.path), self.steplen)]


class PostLevel(models.IntegerChoices):
    """职务层次, ordered: a larger value is a higher level ("高于原任职务层次" compares these)."""

    TOWNSHIP_DEPUTY = 10, _("乡科级副职")
    TOWNSHIP_CHIEF = 20, _("乡科级正职")
    COUNTY_DEPUTY = 30, _("县处级副职")
    COUNTY_CHIEF = 40, _("县处级正职")
    BUREAU_DEPUTY = 50, _("厅局级副职")
    BUREAU_CHIEF = 60, _("厅局级正职")
    PROVINCIAL = 70, _("省部级")


class PersonQuerySet(scope.ScopedQuerySet):
    def visibility(self, user, action):
        """People whose home organisation is in the user's scope, and the user's own person.

        The subtree is a subquery of organisations rather than a join: OR'ed with the user's own
        person over a join, the condition kept PostgreSQL off the indexes (a hash join over every
        person and a filter on each: 34 ms for a province's people count at N = 5,000, 5 ms so)."""
        paths = scope.scope_paths(user, action)
        if paths is None:
            return scope.everything()
        allowed = (
            Q(home_organisation__in=Organisation.objects.filter(scope.within(paths)).values("pk"))
            if paths
            else scope.nobody()
        )
        if action == scope.VIEW:
            allowed |= Q(user=user)
        return allowed

    def active(self):
        return self.filter(archived_at__isnull=True)


@track_history()
class Person(VersionedModel, ArchivableModel):
    """A cadre (干部): the person behind a team membership, a personal list or a case."""

    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("现任职务"), max_length=100)
    post_level = models.PositiveSmallIntegerField(_("职务层次"), choices=PostLevel.choices)
    home_organisation = models.ForeignKey(
        Organisation, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="people"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="person",
        error_messages={"unique": _("该账号已关联到其他干部。")},
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("干部")
        verbose_name_plural = _("干部")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(post_level__in=PostLevel.values),
                name="person_post_level_valid",
                violation_error_message=_("职务层次无效。"),
            ),
        ]
        indexes = [
            models.Index(fields=["name"], name="person_name_idx"),
            trigram_index("name", "post", name="person_search_trgm"),
            bigram_index("name", "post", name="person_search_bigrams"),
        ]
        triggers = [refuse_deletes()]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_pk("responsibilities:person_detail", self.pk)


class TeamRole(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    LEADER_IN_CHARGE = "leader_in_charge", _("分管领导")
    MEMBER = "member", _("班子其他成员")


class MembershipQuerySet(scope.ScopedQuerySet):
    def visibility(self, user, action):
        return scope.within(scope.scope_paths(user, action), field="organisation__path")

    def secretary_of(self, user, day):
        """Organisations where the user is the secretary on a day (a subquery of ids)."""
        return self.on(day).filter(person__user=user, role=TeamRole.SECRETARY).values("organisation")

    def on(self, day):
        """Memberships in force on a day (start and end both inclusive)."""
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day)


@track_history()
class TeamMembership(VersionedModel):
    """A person's seat in an organisation's leadership team (班子) between two dates."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="memberships"
    )
    person = models.ForeignKey(Person, verbose_name=_("干部"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("班子职务"), max_length=32, choices=TeamRole.choices)
    areas = models.CharField(
        _("分管领域"), max_length=200, blank=True, default="", help_text=_("多个领域用顿号分隔，例如：组织、宣传。")
    )
    start_date = models.DateField(_("任职开始日期"))
    end_date = models.DateField(_("任职结束日期"), null=True, blank=True, help_text=_("任职的最后一天；在任则留空。"))
    end_reason = models.CharField(_("结束原因"), max_length=200, blank=True, default="")

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("班子成员任职")
        verbose_name_plural = _("班子成员任职")
        ordering = ["organisation", "role", "start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=TeamRole.values),
                name="membership_role_valid",
                violation_error_message=_("班子职务无效。"),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
                violation_error_message=_("任职结束日期不能早于开始日期。"),
            ),
            # One secretary at a time: no two secretaries' terms in one organisation overlap.
            ExclusionConstraint(
                name="membership_one_secretary_at_a_time",
                expressions=[
                    ("organisation", RangeOperators.EQUAL),
                    (DateRange("start_date", "end_date"), RangeOperators.OVERLAPS),
                ],
                condition=Q(role=TeamRole.SECRETARY),
                violation_error_message=_("该组织在这段时间已有书记，请先结束现任书记的任职。"),
            ),
            # A person holds one seat at a time in one team.
            ExclusionConstraint(
                name="membership_one_seat_per_person",
                expressions=[
                    ("organisation", RangeOperators.EQUAL),
                    ("person", RangeOperators.EQUAL),
                    (DateRange("start_date", "end_date"), RangeOperators.OVERLAPS),
                ],
                violation_error_message=_("此人在这段时间已是该组织班子成员。"),
            ),
        ]
        indexes = [models.Index(fields=["organisation", "start_date"], name="membership_org_start_idx")]
        triggers = [refuse_deletes()]

    def __str__(self):
        return f"{self.organisation} · {self.get_role_display()} · {self.person}"


class Role(models.TextChoices):
    OFFICE_STAFF = "office_staff", _("党建工作人员")
    INSPECTOR = "inspector", _("考核人员")
    LEADER = "leader", _("领导干部")
    ADMIN = "admin", _("系统管理员")


class Department(models.TextChoices):
    """The four assessing departments whose scores are merged into one result."""

    ORGANISATION = "organisation", _("组织")
    DISCIPLINE = "discipline", _("纪检")
    PROPAGANDA = "propaganda", _("宣传")
    UNITED_FRONT = "united_front", _("统战")


class AssignmentQuerySet(scope.ScopedQuerySet):
    def visibility(self, user, action):
        """Role assignments at organisations in the user's scope (granted by administrators)."""
        return scope.within(scope.scope_paths(user, action, roles={"admin"}), field="organisation__path")

    def active(self):
        return self.filter(archived_at__isnull=True)


@track_history()
class Assignment(ArchivableModel):
    """A user's role at an organisation; it reaches that organisation and everything below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.PROTECT, related_name="assignments"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    department = models.CharField(
        _("考核部门"),
        max_length=32,
        choices=Department.choices,
        blank=True,
        default="",
        help_text=_("仅考核人员填写。"),
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("用户授权")
        verbose_name_plural = _("用户授权")
        ordering = ["user", "organisation"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=Role.values),
                name="assignment_role_valid",
                violation_error_message=_("角色无效。"),
            ),
            models.CheckConstraint(
                condition=(Q(role=Role.INSPECTOR) & Q(department__in=Department.values))
                | (~Q(role=Role.INSPECTOR) & Q(department="")),
                name="assignment_department_iff_inspector",
                violation_error_message=_("考核人员必须选择考核部门，其他角色不填考核部门。"),
            ),
            models.UniqueConstraint(
                fields=["user", "organisation", "role", "department"],
                condition=Q(archived_at__isnull=True),
                name="assignment_unique_active",
                violation_error_message=_("该用户在此组织已有相同授权。"),
            ),
        ]
        triggers = [refuse_deletes()]

    def __str__(self):
        label = self.get_role_display()
        if self.department:
            label = f"{label}（{self.get_department_display()}）"
        return f"{self.user} · {self.organisation} · {label}"
