#!/usr/bin/env python3
"""A Docker API proxy on a Unix socket that shows only some stacks.

    docker-scope.py --listen /tmp/x/docker.sock --stacks infra,media,home

The lab engine is shared (test suites and other work deploy their own stacks on it);
screenshots point labdeck at this proxy (DOCKER_HOST=unix://...) so they show the demo
stacks only. List calls for services, tasks, networks, secrets, configs and containers
are filtered by the `com.docker.stack.namespace` label (networks without a stack label
that Docker itself creates, such as `ingress`, are kept); everything else, including the
`/events` and log streams, is passed through unchanged. Standard library only.
"""

import argparse
import http.client
import json
import os
import re
import socket
import socketserver
import sys
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

STACK_LABEL = "com.docker.stack.namespace"
LISTS = re.compile(r"^(?:/v[0-9.]+)?/(services|tasks|networks|secrets|configs|containers/json)$")
BUILTIN_NETWORKS = {"bridge", "host", "none", "ingress", "docker_gwbridge"}
HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te",
    "trailer", "upgrade", "content-length",
}


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost")
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.unix_path)


def labels_of(kind, obj):
    if kind == "tasks":
        return (obj.get("Spec", {}).get("ContainerSpec") or {}).get("Labels") or {}
    if kind in ("secrets", "configs"):
        return obj.get("Spec", {}).get("Labels") or {}
    if kind == "services":
        return obj.get("Spec", {}).get("Labels") or {}
    return obj.get("Labels") or {}


def keep(kind, obj, stacks):
    if kind == "networks" and obj.get("Name") in BUILTIN_NETWORKS:
        return True
    return labels_of(kind, obj).get(STACK_LABEL) in stacks


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    upstream = "/var/run/docker.sock"
    stacks = frozenset()

    def log_message(self, fmt, *args):  # quiet: the screenshot script prints its own
        pass

    def handle_any(self):
        body = None
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = self._read_chunked()
        elif self.headers.get("Content-Length"):
            body = self.rfile.read(int(self.headers["Content-Length"]))
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        if body is not None:
            headers["Content-Length"] = str(len(body))
        up = UnixHTTPConnection(self.upstream)
        try:
            up.request(self.command, self.path, body=body, headers=headers)
            resp = up.getresponse()
            match = LISTS.match(urlsplit(self.path).path)
            if self.command == "GET" and resp.status == 200 and match:
                self._send_filtered(resp, match.group(1).split("/")[0])
            else:
                self._send_streamed(resp)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            up.close()

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_any

    def _read_chunked(self):
        out = b""
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip(), 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return out
            out += self.rfile.read(size)
            self.rfile.readline()

    def _start(self, resp):
        self.send_response_only(resp.status, resp.reason)
        for k, v in resp.getheaders():
            if k.lower() not in HOP_BY_HOP:
                self.send_header(k, v)

    def _send_filtered(self, resp, kind):
        items = json.loads(resp.read() or b"[]")
        data = json.dumps([o for o in items if keep(kind, o, self.stacks)]).encode()
        self._start(resp)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _send_streamed(self, resp):
        self._start(resp)
        if self.command == "HEAD" or resp.status in (204, 304) or 100 <= resp.status < 200:
            if resp.getheader("Content-Length") is not None:
                self.send_header("Content-Length", resp.getheader("Content-Length"))
            self.end_headers()
            resp.read()
            return
        length = resp.getheader("Content-Length")
        if length is not None and resp.getheader("Transfer-Encoding") is None:
            self.send_header("Content-Length", length)
            self.end_headers()
            self.wfile.write(resp.read())
            return
        # Unknown length (event and log streams): chunked, flushed as it arrives.
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        while True:
            chunk = resp.read1(65536)
            if not chunk:
                break
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def get_request(self):
        request, _ = super().get_request()
        return request, ("local", 0)  # BaseHTTPRequestHandler wants a (host, port)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--listen", required=True, help="socket path to create")
    p.add_argument("--stacks", required=True, help="comma-separated stack names to show")
    p.add_argument("--upstream", default="/var/run/docker.sock")
    a = p.parse_args()
    Handler.upstream = a.upstream
    Handler.stacks = frozenset(s for s in a.stacks.split(",") if s)
    if os.path.exists(a.listen):
        os.unlink(a.listen)
    with Server(a.listen, Handler) as srv:
        print(f"docker-scope: {a.listen} -> {a.upstream} ({','.join(sorted(Handler.stacks))})",
              file=sys.stderr, flush=True)
        try:
            srv.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
