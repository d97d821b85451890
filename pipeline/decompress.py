"""Content-Encoding decoding in bounded memory: each step yields about CHUNK bytes at most.

httpx decodes each network chunk whole, so a few KB of `gzip, gzip` can expand to GBs before a
size cap sees a byte. Here each stage of the stack (`gzip`, `deflate`, `br` and `zstd` when a
bounded decoder is installed) is fed through `decompress(data, max_length)`, and the stages are
chained as generators: a stage is asked for more only when the one after it has used what it
had, so memory stays at a few CHUNKs whatever the encodings and however the body expands. The
caller counts what comes out and stops reading when it passes its cap.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from typing import Any, Protocol

__all__ = ["ACCEPT_ENCODING", "CHUNK", "ContentDecodingError", "Decoder", "decoder_for"]

CHUNK = 64 * 1024


class ContentDecodingError(Exception):
    """The body's Content-Encoding is unknown, or the body is not valid in it (permanent)."""


class _Stage(Protocol):
    def feed(self, data: bytes) -> Iterator[bytes]: ...
    def end(self) -> Iterator[bytes]: ...


class _Zlib:
    """gzip (members one after another, as RFC 1952 allows) or deflate (zlib-wrapped or raw)."""

    def __init__(self, encoding: str) -> None:
        self._gzip = encoding == "gzip"
        self._head = b""  # deflate: the first bytes, until the wrapper can be told
        self._d: Any = zlib.decompressobj(zlib.MAX_WBITS | 16) if self._gzip else None

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._d is None:
            self._head += data
            if len(self._head) < 2:
                return
            data, self._head = self._head, b""
            # RFC 9110 says zlib-wrapped; some servers send raw deflate (httpx reads both too).
            zlib_wrapped = data[0] & 0x0F == 8 and int.from_bytes(data[:2], "big") % 31 == 0
            self._d = zlib.decompressobj(zlib.MAX_WBITS if zlib_wrapped else -zlib.MAX_WBITS)
        yield from self._inflate(data)

    def _inflate(self, data: bytes) -> Iterator[bytes]:
        d = self._d
        while True:
            try:
                out = d.decompress(data, CHUNK)
            except zlib.error as e:
                raise ContentDecodingError(f"invalid {self._name()} data: {e}") from None
            if out:
                yield out
            data = d.unconsumed_tail
            if d.eof:
                rest = d.unused_data
                if not (self._gzip and rest.strip(b"\0")):
                    return  # trailing padding (or anything after a deflate stream) is ignored
                d = self._d = zlib.decompressobj(zlib.MAX_WBITS | 16)  # the next gzip member
                data = rest
                continue
            if not data and len(out) < CHUNK:
                return  # input used up and no output held back

    def end(self) -> Iterator[bytes]:
        if self._d is None:
            if self._head:
                raise ContentDecodingError(f"truncated {self._name()} data")
            return
        # A body cut short ends without its trailer; like browsers, keep what was decoded.
        yield from self._inflate(b"")

    def _name(self) -> str:
        return "gzip" if self._gzip else "deflate"


def _brotli_stage() -> Callable[[str], _Stage] | None:
    """A brotli stage when a brotli module with bounded output (brotli >= 1.2) is installed."""
    try:
        import brotli  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None
    if not hasattr(brotli.Decompressor, "can_accept_more_data"):
        return None  # older brotli decodes a whole chunk at once: not offered

    class _Brotli:
        def __init__(self, encoding: str) -> None:
            self._d = brotli.Decompressor()

        def feed(self, data: bytes) -> Iterator[bytes]:
            d = self._d
            try:
                while True:
                    # The limit is soft (the buffer stops growing once past it). Output that
                    # reached it may have more behind it: ask again with empty input.
                    out = d.process(data, output_buffer_limit=CHUNK)
                    if out:
                        yield out
                    data = b""
                    if d.is_finished() or len(out) < CHUNK:
                        return
            except brotli.error as e:
                raise ContentDecodingError(f"invalid br data: {e}") from None

        def end(self) -> Iterator[bytes]:
            return iter(())

    return _Brotli


def _zstd_stage() -> Callable[[str], _Stage] | None:
    """A zstd stage when the standard library has one (compression.zstd, Python 3.14+)."""
    try:
        from compression import zstd  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None

    class _Zstd:
        def __init__(self, encoding: str) -> None:
            self._d = zstd.ZstdDecompressor()

        def feed(self, data: bytes) -> Iterator[bytes]:
            try:
                while True:
                    out = self._d.decompress(data, CHUNK)
                    if out:
                        yield out
                    data = b""
                    if self._d.eof:
                        rest = self._d.unused_data
                        if not rest:
                            return
                        self._d, data = zstd.ZstdDecompressor(), rest  # the next frame
                    elif self._d.needs_input:
                        return
            except zstd.ZstdError as e:
                raise ContentDecodingError(f"invalid zstd data: {e}") from None

        def end(self) -> Iterator[bytes]:
            return iter(())

    return _Zstd


_STAGES: dict[str, Callable[[str], _Stage]] = {"gzip": _Zlib, "x-gzip": _Zlib, "deflate": _Zlib}
for _name, _find in (("br", _brotli_stage), ("zstd", _zstd_stage)):
    _found = _find()
    if _found is not None:
        _STAGES[_name] = _found
# What we ask servers for: only what we can decode in bounded memory.
ACCEPT_ENCODING = ", ".join(name for name in _STAGES if name != "x-gzip")


class Decoder:
    """Decodes a body sent with the given Content-Encoding values (in the order applied)."""

    def __init__(self, header_values: list[str]) -> None:
        names = [token.strip().lower() for value in header_values for token in value.split(",")]
        names = [name for name in names if name and name != "identity"]
        unknown = [name for name in names if name not in _STAGES]
        if unknown:
            raise ContentDecodingError(f"unsupported content-encoding {unknown[0]!r}")
        # The last encoding listed was applied last: it is undone first.
        self._stages: list[_Stage] = [
            _STAGES[name]("gzip" if name == "x-gzip" else name) for name in reversed(names)
        ]

    def feed(self, data: bytes) -> Iterator[bytes]:
        """The decoded bytes of the next piece of body, at most CHUNK at a time."""
        return self._through(0, data)

    def end(self) -> Iterator[bytes]:
        """What the stages still hold once the body has ended."""
        for i, stage in enumerate(self._stages):
            for out in stage.end():
                yield from self._through(i + 1, out)

    def _through(self, i: int, data: bytes) -> Iterator[bytes]:
        if i == len(self._stages):
            if data:
                yield data
            return
        for out in self._stages[i].feed(data):
            yield from self._through(i + 1, out)


def decoder_for(header_values: list[str]) -> Decoder:
    """A Decoder for a response's Content-Encoding header values.

    Raises ContentDecodingError for an encoding it cannot decode in bounded memory.
    """
    return Decoder(header_values)
