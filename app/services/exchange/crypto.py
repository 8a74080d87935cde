"""Encrypted station bundles: the bundle's zip sealed with a passphrase.

AES-256-GCM (the `cryptography` package) over 1 MiB chunks, the key derived from the passphrase by
scrypt (n=2^15, r=8, p=1: ~0.1 s and 32 MiB here, costly for a guesser). Each chunk's nonce is a random
per-file prefix plus its number, and the header plus a last-chunk flag are authenticated with it, so
chunks cannot be dropped, reordered, truncated or swapped between files. A wrong passphrase and any change
to the file fail the same way: the first chunk does not open.

File: MAGIC, version (1 byte), salt (16), nonce prefix (7), then chunks of (length: 4 bytes, big-endian;
ciphertext with its 16-byte tag).
"""

from __future__ import annotations

import os
import struct
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from app.services.common.files import atomic_open

MAGIC = b"GRADPHOTO-BUNDLE-ENC\n"
VERSION = 1
CHUNK = 1 << 20
SCRYPT_N, SCRYPT_R, SCRYPT_P = 1 << 15, 8, 1
MIN_PASSPHRASE = 8


class CryptoError(ValueError):
    """Wrong passphrase, a damaged or altered file, or a passphrase too short (Chinese message)."""


def is_encrypted(path: Path | str) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def _key(passphrase: str, salt: bytes) -> bytes:
    kdf = Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return kdf.derive(passphrase.encode("utf-8"))


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + struct.pack(">I", index) + (b"\x01" if last else b"\x00")


def encrypt_file(source: Path | str, target: Path | str, passphrase: str) -> None:
    """Seal `source` (a bundle zip) into `target`, written atomically."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise CryptoError(f"口令至少 {MIN_PASSPHRASE} 个字符")
    salt, prefix = os.urandom(16), os.urandom(7)
    header = MAGIC + bytes([VERSION]) + salt + prefix
    aead = AESGCM(_key(passphrase, salt))
    with open(source, "rb") as src, atomic_open(target, "wb") as dst:
        dst.write(header)
        index = 0
        chunk = src.read(CHUNK)
        while True:
            following = src.read(CHUNK)
            last = not following
            sealed = aead.encrypt(_nonce(prefix, index, last), chunk, header)
            dst.write(struct.pack(">I", len(sealed)) + sealed)
            if last:
                break
            chunk, index = following, index + 1


def decrypt_into(source: Path, passphrase: str, dst) -> None:
    """Write the plain bundle of `source` into the open binary file `dst` (CryptoError on any problem)."""
    _decrypt(Path(source), passphrase, dst)


def _decrypt(source: Path, passphrase: str, dst) -> None:
    with open(source, "rb") as src:
        header = src.read(len(MAGIC) + 1 + 16 + 7)
        if len(header) < len(MAGIC) + 24 or not header.startswith(MAGIC):
            raise CryptoError(f"{source.name} 不是加密的数据包")
        if header[len(MAGIC)] != VERSION:
            raise CryptoError(f"{source.name} 的加密格式版本较新，请先升级程序")
        salt, prefix = header[len(MAGIC) + 1 : len(MAGIC) + 17], header[len(MAGIC) + 17 :]
        aead = AESGCM(_key(passphrase, salt))
        index = 0
        while True:
            size = src.read(4)
            if len(size) < 4:
                raise CryptoError(f"{source.name} 不完整（在第 {index + 1} 段处中断）")
            (n,) = struct.unpack(">I", size)
            if n > CHUNK + 16:
                raise CryptoError(f"{source.name} 已损坏或被改动")
            sealed = src.read(n)
            last = src.peek(1)[:1] == b"" if hasattr(src, "peek") else False
            try:
                dst.write(aead.decrypt(_nonce(prefix, index, last), sealed, header))
            except InvalidTag:
                if index == 0:
                    raise CryptoError("口令不正确，或数据包已损坏、被改动") from None
                raise CryptoError(f"{source.name} 已损坏或被改动（第 {index + 1} 段）") from None
            if last:
                return
            index += 1


@contextmanager
def decrypted(source: Path | str, passphrase: str) -> Iterator[Path]:
    """The plain bundle zip in a private temporary folder, removed when the block ends."""
    source = Path(source)
    folder = Path(tempfile.mkdtemp(prefix="gradphoto-bundle-"))  # 0700: the plain zip holds full IDs
    plain = folder / "bundle.zip"
    try:
        with open(plain, "wb") as dst:
            _decrypt(source, passphrase, dst)
        yield plain
    finally:
        plain.unlink(missing_ok=True)
        folder.rmdir()
