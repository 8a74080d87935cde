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
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from app.services.common.files import atomic_open, os_reason

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
    remove_stale_plain_copies()
    folder = Path(tempfile.mkdtemp(prefix=PLAIN_PREFIX))  # 0700: the plain zip holds full IDs
    plain = folder / "bundle.zip"
    try:
        try:
            with open(plain, "wb") as dst:
                _decrypt(source, passphrase, dst)
        except OSError as exc:  # most often a full temp folder: say which, and that nothing was written
            raise CryptoError(
                f"无法把数据包 {source.name} 解密到临时文件夹 {folder.parent}：{os_reason(exc)}（未写入任何数据）"
            ) from exc
        yield plain
    finally:
        plain.unlink(missing_ok=True)
        folder.rmdir()


PLAIN_PREFIX = "gradphoto-plain-bundle-"  # not the merge's photo folders (gradphoto-bundle-)
_STALE_AFTER_S = 12 * 3600  # an import dialog may stay open a working day


def remove_stale_plain_copies(now: float | None = None) -> int:
    """A decrypted copy left by an import that was killed (it holds full 身份证号): removed at the next
    decryption once twelve hours old (an import dialog left open over lunch still has its copy)."""
    now = time.time() if now is None else now
    removed = 0
    try:
        entries = list(Path(tempfile.gettempdir()).glob(PLAIN_PREFIX + "*"))
    except OSError:
        return 0
    for folder in entries:
        try:
            if folder.is_symlink() or not folder.is_dir() or now - folder.stat().st_mtime < _STALE_AFTER_S:
                continue
            for f in folder.iterdir():
                if not f.is_symlink():
                    f.unlink()
            folder.rmdir()
            removed += 1
        except OSError:
            continue
    return removed
