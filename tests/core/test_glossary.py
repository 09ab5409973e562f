"""One term per concept (issue 16, item 8): the glossary docs/术语表.md names, for each concept, the term
to use and the variants not to use; no interface string (the .po catalogues' Chinese text, the templates)
uses a variant, except inside a term of the glossary (时限 inside 完成时限 or 整改时限)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "docs" / "术语表.md"


def glossary() -> dict[str, list[str]]:
    text = GLOSSARY.read_text(encoding="utf-8")
    table = text.split("<!-- glossary:start -->", 1)[1].split("<!-- glossary:end -->", 1)[0]
    entries = {}
    for line in table.strip().splitlines()[2:]:  # after the header and its rule
        term, variants, _meaning = (cell.strip() for cell in line.strip().strip("|").split("|"))
        entries[term] = [v.strip() for v in variants.split("、") if v.strip()]
    return entries


def po_strings(path: Path) -> list[str]:
    """Every msgid and msgstr of a catalogue, continuation lines joined."""
    strings, current = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        found = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
        if found:
            current = [found[2]]
            strings.append(current)
        elif line.startswith('"') and current is not None:
            current.append(line[1:-1])
        else:
            current = None
    return ["".join(parts) for parts in strings]


def template_texts() -> list[tuple[str, str]]:
    return [
        (str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")) for path in (ROOT / "templates").rglob("*.html")
    ]


def misuses(text: str, entries: dict[str, list[str]]) -> list[str]:
    """The variants used in ``text`` outside every occurrence of a glossary term."""
    covered = set()
    for term in entries:
        for found in re.finditer(re.escape(term), text):
            covered.update(range(found.start(), found.end()))
    bad = []
    for term, variants in entries.items():
        for variant in variants:
            for found in re.finditer(re.escape(variant), text):
                if not set(range(found.start(), found.end())) <= covered:
                    bad.append(f"{variant}（应为“{term}”）")
    return bad


def test_the_glossary_has_entries_with_variants():
    entries = glossary()
    assert entries["完成时限"] == ["时限", "完成期限", "截止时间"]
    assert "附件" in entries["佐证材料"] and len(entries) >= 8


def test_a_variant_inside_a_term_is_not_a_misuse_but_alone_it_is():
    entries = {"完成时限": ["时限"], "整改时限": ["整改期限"]}
    assert misuses("完成时限 2026-12-31；整改时限", entries) == []
    assert misuses("完成 3/5 · 时限 2026-12-31", entries) == ["时限（应为“完成时限”）"]


def test_no_catalogue_string_uses_a_variant_term():
    entries = glossary()
    found = {}
    for po in sorted(ROOT.glob("locale/*/LC_MESSAGES/django.po")):
        for text in po_strings(po):
            bad = misuses(text, entries)
            if bad:
                found[f"{po.parent.parent.name}: {text}"] = bad
    assert found == {}


def test_no_template_uses_a_variant_term():
    entries = glossary()
    found = {name: bad for name, text in template_texts() if (bad := misuses(text, entries))}
    assert found == {}
