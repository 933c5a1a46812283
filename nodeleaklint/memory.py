"""Keeping a long run's memory flat.

A file's semantic model is a web of cycles (a scope knows its function, the function its
scope), so only Python's cyclic collector frees it. A model that outlives a couple of
young collections while its file is checked waits for a full collection, and CPython runs
those ever more rarely as a run's results pile up: peak memory then grows with the corpus
(150 MB over 22,826 files). A process that checks many files tells ``MemoryGuard`` the size
of each one; every couple of megabytes of source it collects everything and freezes what
survived (imported modules and the results so far, alive until the process ends), so later
collections only look at what is new.

For processes nodeleaklint owns (the command line and its workers) only: in a host process
freezing would also keep the host's own later cyclic garbage.
"""

from __future__ import annotations

import gc

COLLECT_EVERY_BYTES = 2_000_000
# Young collections every this many new container objects (CPython's default is 700): a
# model makes tens of thousands while its file is checked, all garbage soon after, and the
# collections every couple of megabytes of source free them anyway. About 0.7% less CPU
# per checked file.
YOUNG_THRESHOLD = 10_000


class MemoryGuard:
    def __init__(self, every_bytes: int = COLLECT_EVERY_BYTES) -> None:
        self.every_bytes = every_bytes
        self.pending = 0
        gc.set_threshold(YOUNG_THRESHOLD, 20, 20)

    def checked(self, size: int) -> None:
        """Account for one checked file of ``size`` bytes; collect when enough piled up."""
        self.pending += size
        if self.pending >= self.every_bytes:
            self.pending = 0
            gc.collect()
            gc.freeze()
