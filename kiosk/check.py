"""``kiosk check``: every problem in a content folder, as ``path:line: message`` lines.

Loads the folder as the kiosk would, renders every page through the link and image
policy, and compares languages. Plain Python; no Qt.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.content import Loaded, load_content
from kiosk.problems import Problem
from kiosk.render import render_topic


def check_folder(root: Path, default_language: str = "en") -> tuple[Loaded, list[Problem]]:
    """Load and check a content folder; returns the load result and all problems, sorted."""
    loaded = load_content(root, default_language)
    problems = list(loaded.problems)
    content = loaded.content
    if content is not None:
        for language in content.languages.values():
            for topic in language.topics:
                problems += render_topic(topic, language, content.root).refused
        default = content.language()
        default_ids = {t.id for t in default.topics}
        for code, language in content.languages.items():
            if code == content.default_language:
                continue
            ids = {t.id for t in language.topics}
            for missing in sorted(default_ids - ids):
                problems.append(Problem(language.folder / f"{missing}.md", 1,
                                        f"the topic '{missing}' is in '{default.code}' but not "
                                        f"in '{code}'; patients reading {language.name} "
                                        "will not see it", "warning"))
            for extra in sorted(ids - default_ids):
                topic = language.topic(extra)
                assert topic is not None
                problems.append(Problem(topic.path, 1, f"the topic '{extra}' is not in "
                                        f"'{default.code}'", "warning"))
    return loaded, sorted(set(problems), key=lambda p: (str(p.path), p.line, p.message))
