"""The chunked AES-GCM sealing of bundles: chunks cannot be dropped, reordered or truncated away."""

from __future__ import annotations

import os
import struct

import pytest

from app.services.exchange.crypto import CHUNK, MAGIC, CryptoError, decrypted, encrypt_file

HEADER = len(MAGIC) + 1 + 16 + 7


def _chunks(data: bytes) -> list[bytes]:
    out, pos = [], HEADER
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos : pos + 4])
        out.append(data[pos : pos + 4 + n])
        pos += 4 + n
    return out


@pytest.fixture
def sealed(tmp_path):
    plain = tmp_path / "plain.bin"
    plain.write_bytes(os.urandom(3 * CHUNK + 123))
    out = tmp_path / "sealed.bin"
    encrypt_file(plain, out, "a long passphrase")
    return plain, out


def test_round_trip(sealed):
    plain, out = sealed
    with decrypted(out, "a long passphrase") as back:
        assert back.read_bytes() == plain.read_bytes()
    assert len(_chunks(out.read_bytes())) == 4


@pytest.mark.parametrize("how", ["drop_last", "swap", "drop_middle"])
def test_chunks_cannot_be_rearranged(sealed, tmp_path, how):
    _, out = sealed
    data = out.read_bytes()
    head, parts = data[:HEADER], _chunks(data)
    if how == "drop_last":
        parts = parts[:-1]  # the new last chunk was not sealed as last
    elif how == "swap":
        parts[1], parts[2] = parts[2], parts[1]
    else:
        del parts[1]
    bad = tmp_path / "bad.bin"
    bad.write_bytes(head + b"".join(parts))
    with pytest.raises(CryptoError):
        with decrypted(bad, "a long passphrase"):
            pass
