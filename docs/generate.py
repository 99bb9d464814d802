"""Write the generated pages of docs/: ``python docs/generate.py``."""

from pathlib import Path

from brainunit_xp._namespace.rules import rules_markdown

PAGES = {"unit-rules.md": rules_markdown}

if __name__ == "__main__":
    for name, make in PAGES.items():
        (Path(__file__).parent / name).write_text(make())
        print(f"wrote docs/{name}")
