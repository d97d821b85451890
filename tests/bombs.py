"""Decompression bombs: small bodies that expand to GiBs of zeros, built in seconds.

A deflate stream of zeros cut by full flushes is the same block over and over (a full flush
resets the history), so a bomb is that block repeated, with the gzip header and trailer (CRC and
size mod 2**32) around it: valid gzip that any decoder expands to the full size.
"""

from __future__ import annotations

import functools
import gzip
import struct
import zlib

MIB = 1 << 20
GIB = 1 << 30
_ZEROS = bytes(MIB)


@functools.cache
def _zero_block() -> bytes:
    """One MiB of zeros as raw deflate, ending on a byte boundary with the history reset."""
    c = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return c.compress(_ZEROS) + c.flush(zlib.Z_FULL_FLUSH)


def _final_block() -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return c.flush(zlib.Z_FINISH)  # an empty final block


@functools.cache
def deflate_of_zeros(size: int) -> bytes:
    """Raw deflate (as many servers send `Content-Encoding: deflate`) of `size` zero bytes."""
    assert size % MIB == 0
    return _zero_block() * (size // MIB) + _final_block()


@functools.cache
def gzip_of_zeros(size: int) -> bytes:
    """gzip of `size` zero bytes (a multiple of 1 MiB)."""
    crc = 0
    for _ in range(size // MIB):
        crc = zlib.crc32(_ZEROS, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + deflate_of_zeros(size) + struct.pack("<II", crc, size & 0xFFFFFFFF)


@functools.cache
def gzip_gzip_of_zeros(size: int) -> bytes:
    """`Content-Encoding: gzip, gzip`: the gzip of zeros, compressed again (a few KB)."""
    return gzip.compress(gzip_of_zeros(size), compresslevel=9)
