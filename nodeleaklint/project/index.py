"""The project view kept alive between checks (the language server).

``ProjectIndex`` holds every file's summary and the linked ``ProjectView``. It is loaded
once, in the background (summaries from the cache when it has them), and updated one file
at a time when a file is saved; a check asks it for the facts of one file, which is a
dictionary lookup once the view is linked. Safe to use from two threads: loading runs
beside the server's event loop.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from nodeleaklint.project.resolve import absolute
from nodeleaklint.project.summary import FileSummary
from nodeleaklint.project.view import ProjectView
from nodeleaklint.semantics.project_facts import ProjectFacts

Progress = Callable[[int, int], None]
"""Told (files summarized, files in all) while the index loads."""


class ProjectIndex:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._summaries: dict[str, FileSummary] = {}
        self._displays: dict[str, str] = {}
        self._tests: set[str] = set()
        self._view: ProjectView | None = None
        self._generation = 0  # counts changes of the summaries: a view links one of them
        self.ready = False

    def load(self, root: Path, progress: Progress | None = None) -> int:
        """Summarize every source file under ``root`` and link them; returns how many."""
        from nodeleaklint import runner

        found = runner.summarize_project(root, progress)
        with self._lock:
            for path, display, summary, is_test in found:
                self._summaries[path] = summary
                self._displays[path] = display
                if is_test:
                    self._tests.add(path)
            self._generation += 1
        self.relink()
        with self._lock:
            self.ready = True
        return len(found)

    def update(self, path: str, data: bytes) -> bool:
        """A file was saved: summarize its new content. Returns whether the view must be
        linked again (``relink``): not when the summary is the one it had (an edit inside
        a function body that moves no call)."""
        from nodeleaklint import runner

        path_in_view = absolute(path)
        summary = runner.summarize_source(path_in_view, data)
        with self._lock:
            old = self._summaries.get(path_in_view)
            if (old is None) == (summary is None) and (
                old is None or summary is None or old.digest() == summary.digest()
            ):
                return False
            if summary is None:
                self._summaries.pop(path_in_view, None)
            else:
                self._summaries[path_in_view] = summary
                self._displays.setdefault(path_in_view, path)
            self._generation += 1
            return True

    def relink(self) -> None:
        """Link the summaries as they are now. Runs outside the lock (it takes a moment on
        a large project): checks meanwhile use the previous view."""
        with self._lock:
            generation = self._generation
            summaries, displays = dict(self._summaries), dict(self._displays)
            tests = frozenset(self._tests)
        view = ProjectView(summaries, displays, tests)
        with self._lock:
            if generation == self._generation or self._view is None:
                self._view = view

    def facts_for(self, path: str) -> ProjectFacts | None:
        """What the rest of the project says about ``path`` (None until loaded): a
        dictionary lookup in the linked view."""
        with self._lock:
            view = self._view if self.ready else None
        return None if view is None else view.facts_for(absolute(path))
