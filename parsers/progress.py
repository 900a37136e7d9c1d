"""Progress of long reads (a scan's OCR, page by page), for whoever listens.

Kept apart from the OCR modules so that listening costs no import of OpenCV or ONNX Runtime: the
ingest worker's heartbeat (``ingest.isolation``) and the CLI's progress line on stderr register here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass


@dataclass
class PageProgress:
    file: str  # the file's name
    number: int  # the page read
    done: int  # pages read so far in this file
    total: int  # pages to read in this file
    seconds: float


_listeners: list[Callable[[PageProgress], None]] = []


@contextlib.contextmanager
def page_listener(listener: Callable[[PageProgress], None]) -> Iterator[None]:
    """Call ``listener`` after every OCR'd page while the block runs."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


def announce(progress: PageProgress) -> None:
    for listener in list(_listeners):
        listener(progress)
