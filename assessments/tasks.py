"""The assessments app's background work: recomputing a scheme's results on the task queue."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core import jobs

RESULTS = "results"


def results_key(scheme) -> str:
    return f"{RESULTS}:{scheme.pk}"


def start_results(*, scheme, by):
    """Queue the recomputation of a scheme's results, or join the one already queued or running."""
    return jobs.enqueue(
        kind=RESULTS,
        key=results_key(scheme),
        title=_("重新计算考核结果 · %(name)s") % {"name": scheme.name},
        by=by,
        scope_path=scheme.assessor.path,
        params={"scheme": scheme.pk},
        url=reverse("assessments:results", args=[scheme.pk]),
    )


@jobs.handler(RESULTS)
def recompute(job, progress) -> str:
    from assessments.models import Scheme
    from assessments.services import results_compute

    scheme = Scheme.objects.get(pk=job.params["scheme"])
    progress(0, 1)
    stored, leaders = results_compute(scheme=scheme, by=job.started_by)
    progress(1, 1)
    return _("已重新计算 %(n)s 个组织和 %(m)s 名书记的考核结果。") % {"n": len(stored), "m": len(leaders)}
