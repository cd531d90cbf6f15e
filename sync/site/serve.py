"""`forum serve`: the site built as `forum build` builds it, served on 127.0.0.1, rebuilt
when content/ changes, and the browser reloaded.

MkDocs' own server rebuilt the whole site after each edit (every page, every language,
every chart) and published it unchecked. Here each rebuild is `sync.site.build.build_site`
in the same process: only the pages that come out different are built again (the edited
topic's, the listings that show it, the home page, the statistics when their figures
changed), the others are copied from the site being served, and the publish gate checks
every file before the new site replaces it. A rebuild that fails says why in one line and
the last good site stays served.

The statistics pages come after the rest in a rebuild after a new reply (their figures count
the whole forum; fifteen charts on the demo): the first rebuild copies them as they were and the
browser reloads; a second rebuild right after makes them afresh, and reloads the browser
again only if they changed.

MkDocs' live reload injects an inline script, which the site's Content-Security-Policy
(`script-src 'self'`) does not run: the server serves the same script as a file instead.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import watchdog.events
import watchdog.observers
from mkdocs.livereload import LiveReloadServer

from sync.model.config import Project
from sync.model.errors import ForumError
from sync.site import gate_memory, incremental
from sync.site.build import BuildReport, build_site

log = logging.getLogger("mkdocs.forum.serve")
LATER = frozenset({"statistics", "moderator"})  # pages a rebuild shows a moment after the rest

RELOAD_SCRIPT = "/.forum-livereload.js"  # served by the server only, never part of the site
# MkDocs' live-reload poller (mkdocs.livereload), reading its epoch from its script tag.
_SCRIPT = b"""(function () {
  var tag = document.currentScript, epoch = Number(tag.dataset.epoch), id = tag.dataset.request;
  var request, timeout;
  function poll() {
    request = new XMLHttpRequest();
    request.onloadend = function () {
      if (parseFloat(this.responseText) > epoch) location.reload();
      else timeout = setTimeout(poll, this.status === 200 ? 0 : 3000);
    };
    request.open("GET", "/livereload/" + epoch + "/" + id);
    request.send();
  }
  function stop() {
    if (request) request.abort();
    if (timeout) clearTimeout(timeout);
    request = timeout = undefined;
  }
  window.addEventListener("load", function () { if (document.visibilityState === "visible") poll(); });
  window.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") poll(); else stop();
  });
  window.addEventListener("beforeunload", stop);
})();
"""
_READ_ONLY = ("opened", "closed_no_write")
_BODY_END = re.compile(rb"</body>(?![\s\S]*</body>)")


class ForumServer(LiveReloadServer):
    """MkDocs' live-reload server, its reload script a file the page's policy lets run, and
    told of changes by the operating system rather than by polling every file."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.observer = watchdog.observers.Observer()  # inotify on Linux: a save seen at once
        self.build_delay = 0.05  # an editor's save is one or two writes in quick succession

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        """Rebuild when a file under `path` is written, created, deleted or moved; not when
        one is only read (inotify reports the build's own reading of the theme)."""
        path = os.path.abspath(path)

        def changed(event: watchdog.events.FileSystemEvent) -> None:
            if event.event_type in _READ_ONLY or (event.is_directory and event.event_type == "modified"):
                return
            with self._rebuild_cond:
                self._want_rebuild = True
                self._rebuild_cond.notify_all()

        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = changed  # type: ignore[method-assign]
        self._watched_paths[path] = 1
        self._watch_refs[path] = self.observer.schedule(handler, path, recursive=recursive)

    def changed_again(self, seconds: float) -> bool:
        """Whether a file changed since the last rebuild started, waiting up to `seconds`."""
        with self._rebuild_cond:
            return self._rebuild_cond.wait_for(lambda: self._want_rebuild, timeout=seconds)

    def show_now(self, again: bool = False) -> None:
        """Serve the site as now built and tell the browsers to reload: the build started by
        the last change (else, `again`, a newer one)."""
        with self._epoch_cond:
            if again:
                self._wanted_epoch = max(self._wanted_epoch, self._visible_epoch) + 1
            self._visible_epoch = self._wanted_epoch
            self._epoch_cond.notify_all()

    def _serve_request(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes] | None:
        if environ.get("PATH_INFO") == RELOAD_SCRIPT:
            start_response(
                "200 OK", [("Content-Type", "text/javascript"), ("Content-Length", str(len(_SCRIPT)))]
            )
            return [_SCRIPT]
        return super()._serve_request(environ, start_response)

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        request = time.monotonic_ns()
        tag = f'<script src="{RELOAD_SCRIPT}" data-epoch="{epoch}" data-request="{request}"></script>'
        if _BODY_END.search(content) is None:
            return content + tag.encode()
        return _BODY_END.sub(lambda match: tag.encode() + match[0], content, count=1)


def serve_site(
    project: Project,
    host: str,
    port: int,
    demo: bool = False,
    built: Callable[[BuildReport], None] | None = None,
) -> None:
    """Build the site into a folder of its own, serve it on `host:port` and rebuild it when
    content/, mkdocs.yml or hooks/ change, until interrupted. `built` hears of each build."""
    folder = Path(tempfile.mkdtemp(prefix="forum-serve-"))
    site = folder / "site"
    first = build_site(project, site, demo=demo, remember=True)  # a broken file stops here, before serving
    if built:
        built(first)

    def build(later: frozenset[str]) -> BuildReport | None:
        try:
            report = build_site(project, site, demo=demo, later=later, remember=True)
        except ForumError as error:  # the last good site stays served
            log.error(f"Rebuild failed: {error}")
            return None
        except Exception:  # a bug, not the moderator's file: said in full, the site still served
            log.exception("Rebuild failed")
            return None
        if built:
            built(report)
        return report

    def rebuild() -> None:
        first = build(LATER)
        if first is None or not first.later:
            return
        server.show_now()  # the edit, in the browser
        if server.changed_again(0.3):  # the moderator saves again: the statistics after that
            return
        second = build(frozenset())
        if second is not None and second.copied < first.copied:  # the statistics changed
            server.show_now(again=True)

    server = ForumServer(builder=rebuild, host=host, port=port, root=str(site))
    server.error_handler = lambda code: _error_page(site, code)
    for watched in (project.content, project.mkdocs_yml, project.root / "hooks"):
        if watched.exists():
            server.watch(str(watched))
    try:
        server.serve()
    except KeyboardInterrupt:
        log.info("Shutting down...")
    finally:
        server.shutdown()
        incremental.forget(incremental.manifest_file(project.root), site)
        gate_memory.forget(project.root, site)
        shutil.rmtree(folder, ignore_errors=True)


def _error_page(site: Path, code: int) -> bytes | None:
    page = site / f"{code}.html"
    return page.read_bytes() if code == 404 and page.is_file() else None
