"""Seed the default list template: the four role-based lists exactly as the 2016 article words them.

The texts are copied here (not imported) so that later edits of the product never change what
this migration did.
"""

from django.db import migrations

SOURCE = "省委省政府信访局《关于党政机关有效落实从严治党责任体系研究》（山东机关建设，2016-09-26）"

ITEMS = {
    "committee": [
        "发挥党的领导核心作用",
        "严明党的纪律",
        "加强思想理论建设",
        "坚持民主集中制",
        "严肃党内政治生活",
        "选好用好干部",
        "从严教育管理监督干部",
        "加强基层党组织建设",
        "持之以恒加强作风建设",
        "加强党风廉政建设和反腐败工作",
        "保障全面依法治国",
        "提高党总揽全局协调各方的能力",
        "加强党的统一战线工作",
        "加强和改进对群团工作的组织领导",
        "完善抓党建相关制度",
    ],
    "secretary": [
        "履行全面从严治党第一责任",
        "督促班子成员认真履行分管责任和“一岗双责”",
        "带头严格执行民主集中制",
        "充分发挥反腐倡廉表率作用",
    ],
    "leader_in_charge": [
        "履行全面从严治党分管责任",
        "抓好党建工作任务落实",
        "推动党建工作队伍自身建设",
    ],
    "member": [
        "全面从严治党“一岗双责”",
        "加强对分管领域党建工作督促指导",
    ],
}


def seed(apps, schema_editor):
    Version = apps.get_model("responsibilities", "ListTemplateVersion")
    Item = apps.get_model("responsibilities", "TemplateItem")
    version, created = Version.objects.get_or_create(
        effective_from_year=2016,
        defaults={"name": "从严治党责任清单（2016 年研究文章版）", "source": SOURCE},
    )
    if not created:
        return
    Item.objects.bulk_create(
        Item(template=version, kind=kind, number=number, title=title)
        for kind, titles in ITEMS.items()
        for number, title in enumerate(titles, start=1)
    )


class Migration(migrations.Migration):
    dependencies = [("responsibilities", "0002_responsibility_lists")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
