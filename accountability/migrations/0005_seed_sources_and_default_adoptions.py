"""Rule sets become published data with sources, the article's set the product's default, and every
top-level organisation adopts it from 2016-09-26 (so the article's nine measures judge a decision
taken today). The 2019 regulations' set stays published and ready to adopt.

Idempotent: the tests run ``seed`` again after emptying tables. Texts are copied here, not imported.
"""

from datetime import date

from django.db import migrations
from django.utils import timezone

ARTICLE = "《关于党政机关有效落实从严治党责任体系研究》（2016）"
EDUCATION = f"{ARTICLE}二、4 坚持教育和惩处相结合：“分别采取约谈诫勉、责令作出书面检查、通报批评、调整职务、停职检查、引咎辞职、责令辞职、免职和降职等追责方式”"
ARTICLE_DISCIPLINE = f"《中国共产党纪律处分条例》（{ARTICLE}二、4：“对应当追究纪律责任的，依照有关规定给予纪律处分”）"
FIRM = f"{ARTICLE}二、4 坚持动真碰硬："
NO_AWARD = FIRM + "“对受到责令作出书面检查以上处理的，应当取消当年考核评优和评选各类先进的资格”"
ADJUSTED = FIRM + "“对受到调整职务处理的，一年内不得提拔”"
RESIGNED = FIRM + "“对受到引咎辞职、责令辞职、免职处理的，一年内不得安排职务，两年内不得担任高于原任职务层次的职务”"
DEMOTED = FIRM + "“对受到降职处理的，两年内不得提升职务”"
DISCIPLINE = {
    "pd_warning": "《中国共产党纪律处分条例》：受到警告处分的，一年内不得在党内提升职务",
    "pd_serious_warning": "《中国共产党纪律处分条例》：受到严重警告处分的，一年半内不得在党内提升职务",
    "pd_post_revoked": "《中国共产党纪律处分条例》：受到撤销党内职务处分的，两年内不得担任与其原任职务相当或者高于其原任职务的职务",
    "pd_expelled": "《中国共产党纪律处分条例》：受到开除党籍处分的，五年内不得重新入党",
}
ORGANISATION_2019 = "《中国共产党问责条例》（2019）：对党组织的问责，可以采取检查、通报、改组方式"
LEADER_2019 = (
    "《中国共产党问责条例》（2019）：对党的领导干部的问责，可以采取通报、诫勉、组织调整或者组织处理、纪律处分方式；"
    "上述方式可以单独使用，也可以依据规定合并使用"
)
SELECTION_2019 = (
    "《党政领导干部选拔任用工作条例》（2019）：引咎辞职、责令辞职和因问责被免职的，一年内不安排职务，"
    "两年内不得担任高于原任职务层次的职务；同时受到党纪政务处分的，按照影响期长的规定执行"
)
KEPT_2016 = "2019 年法规未另作规定，沿用 2016 年规则的影响期（"
GOVERNMENT = (
    "《中华人民共和国公职人员政务处分法》：处分期间警告六个月、记过十二个月、记大过十八个月、降级和撤职二十四个月，"
    "处分期内不得晋升职务"
)


def measure_source(effective_from, category, code, for_organisations):
    if category == "party_discipline":
        return ARTICLE_DISCIPLINE if effective_from == date(2016, 9, 26) else DISCIPLINE[code].split("：")[0]
    if category == "government_sanction":
        return GOVERNMENT.split("：")[0]
    if effective_from == date(2016, 9, 26):
        return EDUCATION
    return ORGANISATION_2019 if for_organisations else LEADER_2019


def consequence_source(effective_from, category, code, kind):
    if category == "party_discipline":
        return DISCIPLINE[code]
    if category == "government_sanction":
        return GOVERNMENT
    article = {
        "no_award": NO_AWARD,
        "no_post": RESIGNED,
        "no_higher_post": RESIGNED,
        "no_promotion": DEMOTED if code == "demoted" else ADJUSTED,
    }[kind]
    if effective_from == date(2016, 9, 26):
        return article
    if kind in ("no_post", "no_higher_post"):
        return SELECTION_2019
    return KEPT_2016 + article + "）"


def seed(apps, schema_editor):
    RuleSet = apps.get_model("accountability", "RuleSet")
    Measure = apps.get_model("accountability", "Measure")
    Consequence = apps.get_model("accountability", "Consequence")
    Adoption = apps.get_model("accountability", "RuleSetAdoption")
    Organisation = apps.get_model("responsibilities", "Organisation")
    Case = apps.get_model("accountability", "Case")
    seeded = RuleSet.objects.filter(
        owner__isnull=True, based_on__isnull=True, effective_from__in=[date(2016, 9, 26), date(2019, 9, 1)]
    )
    for rule_set in seeded:
        if rule_set.status != "published":
            rule_set.status = "published"
            rule_set.published_at = rule_set.created_at or timezone.now()
            rule_set.save(update_fields=["status", "published_at"])
        for measure in Measure.objects.filter(rule_set=rule_set, source=""):
            measure.source = measure_source(
                rule_set.effective_from, measure.category, measure.code, measure.for_organisations
            )
            measure.save(update_fields=["source"])
        for consequence in Consequence.objects.filter(measure__rule_set=rule_set, source="").select_related("measure"):
            m = consequence.measure
            consequence.source = consequence_source(rule_set.effective_from, m.category, m.code, consequence.kind)
            consequence.save(update_fields=["source"])
    article = seeded.filter(effective_from=date(2016, 9, 26)).first()
    if article is None:
        return
    if not RuleSet.objects.filter(is_default=True).exists():
        RuleSet.objects.filter(pk=article.pk).update(is_default=True)
    for root in Organisation.objects.filter(depth=1):
        if not Adoption.objects.filter(organisation=root).exists():
            Adoption.objects.create(
                organisation=root,
                rule_set=article,
                effective_from=article.effective_from,
                decided_by_body="产品默认（升级时采用）",
                decided_on=timezone.localdate(),
                document=article.name,
            )
    # Cases closed as 不予问责 before outcomes had grounds (the flag is gone from later model states).
    if any(field.name == "exempted" for field in Case._meta.get_fields()):
        Case.objects.filter(exempted=True, exemption="").update(exemption="not_held", exemption_ground="other")


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0004_rule_set_adoption_and_exemption"),
        ("responsibilities", "0003_seed_2016_list_template"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
