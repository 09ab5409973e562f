"""The user guide (docs/使用手册.md) shows every step of the guide's browser journey
(tests/e2e/test_user_guide.py), names only pictures that exist, and links only files that exist."""

import re
from pathlib import Path

from tests.e2e.test_user_guide import STEPS

DOCS = Path(__file__).resolve().parents[1] / "docs"
GUIDE = DOCS / "使用手册.md"


def pictures() -> list[str]:
    return re.findall(r"!\[[^\]]+\]\(images/guide/([^)]+)\.png\)", GUIDE.read_text())


def test_the_guide_shows_each_step_once_and_no_picture_it_does_not_have():
    shown = pictures()
    assert sorted(shown) == sorted(step.name for step in STEPS)
    missing = [name for name in shown if not (DOCS / "images" / "guide" / f"{name}.png").exists()]
    assert missing == []


def test_the_guides_links_lead_to_files_of_the_repository():
    links = re.findall(r"(?<!!)\[[^\]]+\]\(([^)#]+)(?:#[^)]*)?\)", GUIDE.read_text())
    assert links, "the guide links the README"
    assert [link for link in links if not (DOCS / link).resolve().exists()] == []
