"""Tables of the responsibilities app: the organisation tree and teams, and the responsibility lists."""

from core.models import JobStatus  # noqa: F401
from responsibilities.models.duties import (  # noqa: F401
    SIGNING_STATEMENT,
    DutyFile,
    DutyKind,
    DutyRecord,
    DutyRecordItem,
    ListSignature,
    SignedList,
    SigningTally,
)
from responsibilities.models.lists import (  # noqa: F401
    STAFF_ROLES,
    Evidence,
    IssuedTask,
    ItemTally,
    ListItem,
    ListKind,
    ListStatus,
    ListTemplateVersion,
    OverdueClock,
    OverdueTally,
    ProgressEntry,
    ReminderSetting,
    ResponsibilityList,
    RolloverJob,
    SupervisionNote,
    Task,
    TaskStatus,
    TaskTally,
    TemplateItem,
    WarningColour,
    WarningThreshold,
)
from responsibilities.models.orders import (  # noqa: F401
    OrderSubject,
    OrderTally,
    OrderTask,
    ReplyFile,
    ReplyStatus,
    SupervisionOrder,
    SupervisionReply,
)
from responsibilities.models.organisations import (  # noqa: F401
    Assignment,
    DateRange,
    Department,
    Organisation,
    OrganisationKind,
    Person,
    PostLevel,
    Role,
    TeamMembership,
    TeamRole,
)
from responsibilities.models.problems import (  # noqa: F401
    MeasureEvidence,
    MeasureProgress,
    Problem,
    ProblemItem,
    ProblemSource,
    ProblemStatus,
    ProblemTally,
    RectificationMeasure,
)
