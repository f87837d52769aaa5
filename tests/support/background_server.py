"""The lifecycle the test HTTP servers share: serve on a daemon thread, stop cleanly."""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer
from typing import Self


class BackgroundServer:
    """Mixin: ``start()`` serves ``self._httpd`` on a thread; ``stop()`` (or ``with``) ends it.

    The class sets ``_httpd``, ``_stopping`` (an Event its handlers watch) and ``_thread = None``
    in its constructor; ``_release()`` wakes whatever its handlers hold when stopping.
    """

    _httpd: ThreadingHTTPServer
    _stopping: threading.Event
    _thread: threading.Thread | None

    def _release(self) -> None:
        """Wake held requests (nothing to do by default)."""

    def start(self) -> Self:
        """Serve on a background daemon thread."""
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; held or sleeping requests are woken and dropped."""
        self._stopping.set()
        self._release()
        if self._thread is not None:  # shutdown() would wait forever for a loop never started
            self._httpd.shutdown()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
