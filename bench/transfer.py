"""What a browser transfers for a page through the repository's nginx configuration.

nginx (Debian's, as the browser tests run it) serves the built site with
``deploy/nginx/rutinhandboken.conf``. For one page, every file the browser
fetches is requested as a browser does (``Accept-Encoding: gzip``): the HTML,
its stylesheets and the fonts they name, its scripts, and what Material's search
fetches after the page has loaded (its worker and the search index). The bytes
are what crosses the wire: the status line, the headers and the body as sent.

- **cold**: an empty cache, every file fetched;
- **warm**: the same page again with the cache of the first visit: a file the
  server let the browser keep (``Cache-Control`` with ``max-age`` and no
  ``no-cache``) is not requested; the others are asked for again with
  ``If-None-Match``/``If-Modified-Since``, and a ``304`` costs only its headers.
"""

from __future__ import annotations

import getpass
import http.client
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NGINX_CONF = REPO / "deploy" / "nginx" / "rutinhandboken.conf"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Nginx:
    """nginx with the repository's server block, serving ``root`` on 127.0.0.1."""

    def __init__(self, root: Path, workdir: Path):
        executable = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(executable).is_file():
            raise RuntimeError("nginx saknas: kör 'make system-deps' (installerar Debians nginx)")
        self.port = _free_port()
        workdir.mkdir(parents=True, exist_ok=True)
        text = NGINX_CONF.read_text(encoding="utf-8")
        text, listens = re.subn(r"(?m)^(\s*)listen\s+[^;]+;", rf"\g<1>listen 127.0.0.1:{self.port};", text)
        text, roots = re.subn(r"(?m)^(\s*)root\s+[^;]+;", lambda m: f"{m.group(1)}root {root};", text)
        if (listens, roots) != (1, 1):
            raise RuntimeError(f"{NGINX_CONF} ska ha exakt en listen- och en root-rad")
        (workdir / "site.conf").write_text(text, encoding="utf-8")
        temp = {name: workdir / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
        for folder in temp.values():
            folder.mkdir(exist_ok=True)
        user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
        (workdir / "nginx.conf").write_text(f"""
{user}
worker_processes 1;
daemon off;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {temp['body']};
    proxy_temp_path {temp['proxy']};
    fastcgi_temp_path {temp['fastcgi']};
    uwsgi_temp_path {temp['uwsgi']};
    scgi_temp_path {temp['scgi']};
    include {workdir}/site.conf;
}}
""", encoding="utf-8")
        self.process = subprocess.Popen([executable, "-p", str(workdir), "-c", str(workdir / "nginx.conf"),
                                         "-e", str(workdir / "error.log")],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx startade inte: {self.process.stdout.read().decode(errors='replace')}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        self.close()
        raise RuntimeError("nginx svarade inte inom 10 s")

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], int]:
        """(status, headers, bytes on the wire) for ``path``, the body as sent (not decompressed)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path, headers={"Accept-Encoding": "gzip", **(headers or {})})
            response = connection.getresponse()
            body = response.read()
            head = f"HTTP/1.1 {response.status} {response.reason}\r\n" + "".join(
                f"{name}: {value}\r\n" for name, value in response.getheaders()) + "\r\n"
            return response.status, {k.lower(): v for k, v in response.getheaders()}, len(head.encode()) + len(body)
        finally:
            connection.close()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _kept(headers: dict[str, str]) -> bool:
    """Whether a browser may use its copy without asking (a lifetime, and no no-cache/no-store)."""
    control = headers.get("cache-control", "").lower()
    if "no-cache" in control or "no-store" in control:
        return False
    match = re.search(r"max-age=(\d+)", control)
    return bool(match and int(match.group(1)) > 0)


def page_transfer(site: Path, page: Path, files: list[str], workdir: Path) -> dict:
    """Bytes over the wire for ``page`` (site-relative ``files`` are what it loads, search included)."""
    server = Nginx(site.resolve(), workdir)
    try:
        paths = ["/" + page.relative_to(site).parent.as_posix().strip(".") + "/"] + ["/" + f for f in files]
        paths = [re.sub(r"/+", "/", p) for p in paths]
        cold: dict[str, dict] = {}
        for path in paths:
            status, headers, size = server.get(path)
            if status != 200:
                raise RuntimeError(f"nginx svarade {status} på {path}")
            cold[path] = {"bytes": size, "encoding": headers.get("content-encoding", ""),
                          "cache_control": headers.get("cache-control", ""), "headers": headers}
        warm_bytes, requested = 0, 0
        for path, first in cold.items():
            if _kept(first["headers"]):
                continue
            conditional = {}
            if "etag" in first["headers"]:
                conditional["If-None-Match"] = first["headers"]["etag"]
            if "last-modified" in first["headers"]:
                conditional["If-Modified-Since"] = first["headers"]["last-modified"]
            status, _, size = server.get(path, conditional)
            warm_bytes += size
            requested += 1
        return {
            "cold_bytes": sum(item["bytes"] for item in cold.values()),
            "warm_bytes": warm_bytes,
            "files": len(cold),
            "warm_requests": requested,
            "by_file": {path: {k: v for k, v in item.items() if k != "headers"} for path, item in cold.items()},
        }
    finally:
        server.close()
