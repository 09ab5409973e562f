"""Seed two rule sets and the negative list.

1. The 2016 article's rules (the default): the nine measures, mildest first, with exactly the
   consequences of its table, plus the Party discipline sanctions the article defers to.
2. The later regulations listed in the domain notes, in force from 2019-09-01: the 2019
   accountability regulations' measures for organisations and for leaders, the 2019 cadre
   selection regulations' periods, Party discipline and government sanctions.

The texts are copied here, not imported, so later edits of the product never change this migration.
"""

from datetime import date

from django.db import migrations

ARTICLE = "省委省政府信访局《关于党政机关有效落实从严治党责任体系研究》（2016）二、4“坚持动真碰硬”"
DISCIPLINE_SOURCE = "《中国共产党纪律处分条例》"

# (code, name, severity, for individuals, for organisations, [(kind, months or None for that year)])
NO_AWARD = ("no_award", None)
ARTICLE_MEASURES = [
    ("talk", "约谈诫勉", 1, True, True, []),
    ("written_examination", "责令作出书面检查", 2, True, True, [NO_AWARD]),
    ("circulated_criticism", "通报批评", 3, True, True, [NO_AWARD]),
    ("post_adjusted", "调整职务", 4, True, False, [NO_AWARD, ("no_promotion", 12)]),
    ("suspended", "停职检查", 5, True, False, [NO_AWARD]),
    ("resign_blame", "引咎辞职", 6, True, False, [NO_AWARD, ("no_post", 12), ("no_higher_post", 24)]),
    ("ordered_to_resign", "责令辞职", 7, True, False, [NO_AWARD, ("no_post", 12), ("no_higher_post", 24)]),
    ("removed", "免职", 8, True, False, [NO_AWARD, ("no_post", 12), ("no_higher_post", 24)]),
    ("demoted", "降职", 9, True, False, [NO_AWARD, ("no_promotion", 24)]),
]
PARTY_DISCIPLINE = [
    ("pd_warning", "警告（党纪）", 1, [("no_promotion", 12)]),
    ("pd_serious_warning", "严重警告", 2, [("no_promotion", 18)]),
    ("pd_post_revoked", "撤销党内职务", 3, [("no_equal_or_higher_post", 24)]),
    ("pd_expelled", "开除党籍", 5, [("no_rejoin_party", 60)]),
]
# 2019: measures for an organisation and for a leader (《中国共产党问责条例》), with the periods of the
# 2019 cadre selection regulations; the article's periods are kept where the 2019 texts name none.
MEASURES_2019 = [
    ("org_inspection", "检查", 1, False, True, []),
    ("org_circulated", "通报（组织）", 2, False, True, []),
    ("org_reorganised", "改组", 3, False, True, []),
    ("circulated", "通报", 1, True, False, [NO_AWARD]),
    ("admonished", "诫勉", 2, True, False, []),
    ("suspended", "停职检查", 3, True, False, [NO_AWARD]),
    ("post_adjusted", "调整职务", 4, True, False, [NO_AWARD, ("no_promotion", 12)]),
    ("resign_blame", "引咎辞职", 5, True, False, [NO_AWARD, ("no_post", 12), ("no_higher_post", 24)]),
    ("ordered_to_resign", "责令辞职", 6, True, False, [NO_AWARD, ("no_post", 12), ("no_higher_post", 24)]),
    ("demoted", "降职", 7, True, False, [NO_AWARD, ("no_promotion", 24)]),
    ("removed", "免职", 8, True, False, [NO_AWARD, ("no_post", 12), ("no_higher_post", 24)]),
]
GOVERNMENT_SANCTIONS = [
    ("gs_warning", "警告（政务）", 1, [("no_promotion", 6)]),
    ("gs_demerit", "记过", 2, [("no_promotion", 12)]),
    ("gs_major_demerit", "记大过", 3, [("no_promotion", 18)]),
    ("gs_downgraded", "降级", 4, [("no_promotion", 24)]),
    ("gs_dismissed_from_post", "撤职", 5, [("no_promotion", 24)]),
]

# (code, title, description, subjects, [(list kind, item number)])
SITUATIONS = [
    ("FQ-01", "把主业当副业",
     "片面理解“以经济建设为中心”，把党建当“副业”，要党建活动给业务工作“让路”；对经济和业务工作思考多、管得多、出场多，对党建工作谋划少、抓得少、露面少。",
     ["committee", "secretary"], [("committee", 1), ("secretary", 1)]),
    ("FQ-02", "把党内职务当成政治荣誉",
     "只看重行政职务，以“我是搞业务的”推脱；把履行党建职责等同于开会讲个话、发文签个字、活动露个脸，“一岗双责”没有落到实处。",
     ["leader_in_charge", "member"], [("leader_in_charge", 1), ("member", 1)]),
    ("FQ-03", "压力层层递减",
     "满足于“上传下达”“照抄照搬”，上级布置什么就完成什么；对下级党组织履行责任清单不督促、不检查，“上头热、下头冷”。",
     ["committee", "secretary", "leader_in_charge"], [("committee", 8), ("secretary", 2), ("leader_in_charge", 2)]),
    ("FQ-04", "考核弄虚作假、以形式代替实效",
     "在党建考核中虚报、瞒报完成情况，或只以“成立了领导小组、发了文件、开了会”代替实际成效。",
     ["committee", "department", "leader_in_charge"], [("committee", 15), ("leader_in_charge", 2)]),
    ("FQ-05", "该提醒的不提醒、该批评的不批评、该约谈的不约谈",
     "对苗头性、倾向性问题重视不够，发现班子成员或下级党组织责任落实不到位，不及时提醒、批评、约谈。",
     ["secretary", "leader_in_charge", "member"], [("secretary", 2), ("committee", 7), ("member", 2)]),
    ("FQ-06", "对违规违纪睁一只眼闭一只眼",
     "存在“圈子”文化和“好人主义”，对违规违纪的现象和人员失之于宽、失之于软，不报告、不处理。",
     ["committee", "secretary", "member"], [("committee", 2), ("committee", 10), ("secretary", 4)]),
    ("FQ-07", "抓党建时紧时松",
     "上级重视才重视，开展活动就紧一阵、不开展活动就松一阵，缺乏持之以恒的韧劲。",
     ["committee", "secretary"], [("committee", 9)]),
    ("FQ-08", "责任清单任务不落实",
     "责任清单中的具体任务无正当理由逾期不完成，经提醒、批评或约谈后仍不整改。",
     ["committee", "department", "secretary", "leader_in_charge", "member"], []),
    ("FQ-09", "不执行民主集中制",
     "重大问题不经集体讨论，个人或少数人说了算；对错误决策不表明意见。",
     ["committee", "secretary"], [("committee", 4), ("secretary", 3)]),
    ("FQ-10", "选人用人把关不严",
     "违反规定选拔任用干部，或对干部监督管理失察失责。",
     ["committee", "department"], [("committee", 6), ("committee", 7)]),
]


def rule_set(apps, name, source, effective_from, accountability, discipline, government):
    RuleSet = apps.get_model("accountability", "RuleSet")
    Measure = apps.get_model("accountability", "Measure")
    Consequence = apps.get_model("accountability", "Consequence")
    # The oldest rule set of that date is the seeded one (later copies may share the date).
    if RuleSet.objects.filter(effective_from=effective_from).exists():
        return
    version = RuleSet.objects.create(effective_from=effective_from, name=name, source=source)
    rows = [("accountability", code, title, order, individual, organisation, consequences)
            for code, title, order, individual, organisation, consequences in accountability]
    rows += [("party_discipline", code, title, order, True, False, consequences)
             for code, title, order, consequences in discipline]
    rows += [("government_sanction", code, title, order, True, False, consequences)
             for code, title, order, consequences in government]
    for category, code, title, order, individual, organisation, consequences in rows:
        measure = Measure.objects.create(
            rule_set=version, category=category, code=code, name=title, severity=order,
            for_individuals=individual, for_organisations=organisation,
        )
        for kind, months in consequences:
            Consequence.objects.create(measure=measure, kind=kind, months=months)


def seed(apps, schema_editor):
    rule_set(
        apps, "从严治党问责规则（2016 年研究文章）", f"{ARTICLE}；{DISCIPLINE_SOURCE}", date(2016, 9, 26),
        ARTICLE_MEASURES, PARTY_DISCIPLINE, [],
    )
    rule_set(
        apps, "问责规则（2019 年党内法规）",
        "《中国共产党问责条例》（2019）；《党政领导干部选拔任用工作条例》（2019）；"
        f"{DISCIPLINE_SOURCE}；公职人员政务处分的影响期。未作规定的沿用 2016 年规则的影响期。",
        date(2019, 9, 1), MEASURES_2019, PARTY_DISCIPLINE, GOVERNMENT_SANCTIONS,
    )
    Situation = apps.get_model("accountability", "Situation")
    TemplateItem = apps.get_model("responsibilities", "TemplateItem")
    for code, title, description, subjects, items in SITUATIONS:
        situation, created = Situation.objects.get_or_create(
            code=code, defaults={"title": title, "description": description, "subjects": subjects}
        )
        if created and items:
            situation.failed_items.set(
                TemplateItem.objects.filter(template__effective_from_year=2016, kind=kind, number=number).first()
                for kind, number in items
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0001_accountability"),
        ("responsibilities", "0003_seed_2016_list_template"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
