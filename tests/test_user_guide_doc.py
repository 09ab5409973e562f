"""The user guide (docs/使用手册.md) shows every step of the guide's browser journey
(tests/e2e/test_user_guide.py) and names only pictures that exist; the README and every document in
docs/ link only files that exist."""

import re
from pathlib import Path

from tests.e2e.test_user_guide import STEPS

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
GUIDE = DOCS / "使用手册.md"


def pictures() -> list[str]:
    return re.findall(r"!\[[^\]]+\]\(images/guide/([^)]+)\.png\)", GUIDE.read_text())


def test_the_guide_shows_each_step_once_and_no_picture_it_does_not_have():
    shown = pictures()
    assert sorted(shown) == sorted(step.name for step in STEPS)
    missing = [name for name in shown if not (DOCS / "images" / "guide" / f"{name}.png").exists()]
    assert missing == []


def test_the_documents_links_lead_to_files_of_the_repository():
    broken = []
    for document in [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]:
        links = re.findall(r"\[[^\]]*\]\(([^)#\s]+)(?:#[^)]*)?\)", document.read_text())
        links = [link for link in links if not link.startswith(("http://", "https://", "mailto:"))]
        broken += [f"{document.name}: {link}" for link in links if not (document.parent / link).resolve().exists()]
    assert broken == []
