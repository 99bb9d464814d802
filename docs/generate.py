"""Write the generated pages of docs/: ``python docs/generate.py``."""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from scipy_rules import scipy_markdown
from support_matrix import support_markdown
from unit_rules import rules_markdown

from brainunit_xp._units.catalog import catalog_markdown

PAGES = {"unit-rules.md": rules_markdown, "support-matrix.md": support_markdown}
#: generated sections of hand-written pages: page -> {marker: generator}; the section runs from
#: the line ``<!-- marker: ... -->`` to ``<!-- /marker -->``
SECTIONS = {"units.md": {"catalog": catalog_markdown}, "scipy.md": {"scipy-rules": scipy_markdown}}


def splice(text: str, marker: str, content: str) -> str:
    """``text`` with the section between its ``marker`` comments replaced by ``content``."""
    pattern = re.compile(rf"(^<!-- {marker}:[^\n]*-->\n)(.*?)(^<!-- /{marker} -->$)", re.S | re.M)
    if not pattern.search(text):
        raise ValueError(f"no <!-- {marker}: ... --> ... <!-- /{marker} --> section")
    return pattern.sub(lambda m: m.group(1) + "\n" + content + "\n" + m.group(3), text)


if __name__ == "__main__":
    for name, make in PAGES.items():
        (Path(__file__).parent / name).write_text(make())
        print(f"wrote docs/{name}")
    for name, sections in SECTIONS.items():
        path = Path(__file__).parent / name
        text = path.read_text()
        for marker, make in sections.items():
            text = splice(text, marker, make())
        path.write_text(text)
        print(f"wrote the generated sections of docs/{name}")
