"""Handlers for the loopback HTTP server (tests/servers.py) that misbehave on purpose."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

from tests.servers import LoopbackServer


def stall(handler: BaseHTTPRequestHandler, server: LoopbackServer) -> None:
    """Send headers, then nothing until the test ends: the client's read timeout must fire."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "1000")
    handler.end_headers()
    handler.wfile.flush()
    server.release.wait(10)


def trickle(handler: BaseHTTPRequestHandler, server: LoopbackServer) -> None:
    """Send a byte at a time, each well within a read timeout, never finishing."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    try:
        while not server.release.wait(0.02):
            handler.wfile.write(b"1\r\nx\r\n")
            handler.wfile.flush()
    except OSError:
        pass  # the client gave up: that is the point


def endless(handler: BaseHTTPRequestHandler, server: LoopbackServer) -> None:
    """Stream 64 KB chunks (no Content-Length) until the client hangs up; count what was sent."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    chunk = b"<p>" + b"a" * (65536 - 7) + b"</p>"
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    try:
        while server.bytes_written < 500_000_000 and not server.release.is_set():
            handler.wfile.write(frame)
            server.bytes_written += len(chunk)
    except OSError:
        pass
    finally:
        server.done.set()
