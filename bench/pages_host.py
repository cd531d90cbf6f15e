"""A built site served on 127.0.0.1 as GitHub Pages serves it, for bench/reader.py: text
compressed with gzip when the browser accepts it, an ETag and Last-Modified on every file,
`Cache-Control: max-age=600`, 304 for a request whose copy is still current, a folder's
index.html, a redirect from a folder's address without its final slash, the site's 404.html.

What GitHub Pages does that matters for what a reader downloads is here; nothing else is.
The compression level is zlib's default (6): what GitHub Pages' CDN uses is not documented.
"""

from __future__ import annotations

import gzip
import mimetypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

MAX_AGE = 600  # GitHub Pages: ten minutes, for HTML, scripts, styles and data alike
GZIP_LEVEL = 6
_TEXT_TYPES = ("application/javascript", "application/json", "application/xml", "image/svg+xml")
_TYPES = {".js": "application/javascript", ".mjs": "application/javascript", ".json": "application/json"}


def content_type(path: Path) -> str:
    """The Content-Type a static host gives a file, by its name."""
    guessed = _TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return guessed + "; charset=utf-8" if compressible(guessed) else guessed


def compressible(kind: str) -> bool:
    """Whether GitHub Pages compresses this type: text, scripts, JSON, XML, SVG; not images or fonts."""
    kind = kind.split(";")[0].strip()
    return kind.startswith("text/") or kind in _TEXT_TYPES


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # connections kept open, as a browser has them with a CDN
    server: PagesHost

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._answer(with_body=True)

    def do_HEAD(self) -> None:
        self._answer(with_body=False)

    def _answer(self, with_body: bool) -> None:
        address = unquote(urlsplit(self.path).path)
        path = (self.server.site / address.lstrip("/")).resolve()
        if not path.is_relative_to(self.server.site):
            return self._send(404, b"", "text/plain", {}, with_body)
        if path.is_dir():
            if not address.endswith("/"):
                return self._send(301, b"", "text/html", {"Location": address + "/"}, with_body)
            path = path / "index.html"
        if not path.is_file():
            missing = self.server.site / "404.html"
            body = missing.read_bytes() if missing.is_file() else b"Not found"
            return self._send(404, body, "text/html; charset=utf-8", {}, with_body)
        stat = path.stat()
        kind = content_type(path)
        gzipped = compressible(kind) and "gzip" in self.headers.get("Accept-Encoding", "")
        # nginx's form (seconds of the last change - size, in hex), weak once compressed, as
        # GitHub Pages sends it.
        etag = f'"{int(stat.st_mtime):x}-{stat.st_size:x}"'
        etag = "W/" + etag if gzipped else etag
        headers = {
            "ETag": etag,
            "Last-Modified": formatdate(stat.st_mtime, usegmt=True),
            "Cache-Control": f"max-age={MAX_AGE}",
            "Vary": "Accept-Encoding",
        }
        if self._still_current(etag, stat.st_mtime):
            return self._send(304, b"", kind, headers, with_body=False)
        body = self._gzipped(path, stat.st_mtime_ns) if gzipped else path.read_bytes()
        if gzipped:
            headers["Content-Encoding"] = "gzip"
        self._send(200, body, kind, headers, with_body)

    def _still_current(self, etag: str, mtime: float) -> bool:
        tags = self.headers.get("If-None-Match")
        if tags is not None:
            strip = lambda tag: tag.strip().removeprefix("W/")  # noqa: E731 (weak comparison)
            return strip(etag) in {strip(tag) for tag in tags.split(",")} or tags.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        try:
            return since is not None and int(mtime) <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False

    def _gzipped(self, path: Path, mtime_ns: int) -> bytes:
        with self.server.lock:
            body = self.server.compressed.get((path, mtime_ns))
        if body is None:
            body = gzip.compress(path.read_bytes(), compresslevel=GZIP_LEVEL, mtime=0)
            with self.server.lock:
                self.server.compressed[(path, mtime_ns)] = body
        return body

    def _send(self, status: int, body: bytes, kind: str, headers: dict[str, str], with_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0" if status == 304 else str(len(body)))
        self.end_headers()
        if with_body and status != 304:
            self.wfile.write(body)


class PagesHost(ThreadingHTTPServer):
    """The host of one built site, with the compressed copies it made (compressed once each)."""

    daemon_threads = True

    def __init__(self, site: Path) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.site = site.resolve()
        self.compressed: dict[tuple[Path, int], bytes] = {}
        self.lock = threading.Lock()


@contextmanager
def serving(site: Path) -> Iterator[str]:
    """Serve the built site at `site` on 127.0.0.1 as GitHub Pages would; yields its address."""
    with PagesHost(site) as host:
        threading.Thread(target=host.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{host.server_address[1]}/"
        finally:
            host.shutdown()
