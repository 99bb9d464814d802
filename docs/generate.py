"""Write the generated pages of docs/: ``python docs/generate.py``."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from support_matrix import support_markdown
from unit_rules import rules_markdown

PAGES = {"unit-rules.md": rules_markdown, "support-matrix.md": support_markdown}

if __name__ == "__main__":
    for name, make in PAGES.items():
        (Path(__file__).parent / name).write_text(make())
        print(f"wrote docs/{name}")
