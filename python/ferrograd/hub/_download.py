"""Fetching a URL into a file, and unpacking archives without writing outside a folder."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
import uuid
import zipfile
from pathlib import Path
from urllib.request import Request, urlopen

_CHUNK = 1 << 13
_SEPARATORS = re.compile(r"[/\\]")


def download_url_to_file(url: str, dst: str, hash_prefix: str | None = None, progress: bool = True) -> None:
    """Downloads `url` to the path `dst`, through a temporary file moved into place once
    complete, so an interrupted download never leaves a truncated `dst`.

    Args:
        url: what to download.
        dst: the file to write (`~` is expanded).
        hash_prefix: when given, the SHA256 hex digest of the contents must start with it.
        progress: whether to report the bytes read on stderr.
    """
    dst = os.path.expanduser(dst)
    partial = f"{dst}.{uuid.uuid4().hex}.partial"
    digest = hashlib.sha256() if hash_prefix is not None else None
    try:
        with open(partial, "w+b") as out, urlopen(Request(url, headers={"User-Agent": "torch.hub"})) as response:
            length = response.headers.get("Content-Length")
            total = int(length) if length else None
            done = 0
            while chunk := response.read(_CHUNK):
                out.write(chunk)
                done += len(chunk)
                if digest is not None:
                    digest.update(chunk)
                if progress:
                    shown = f"{done}/{total} B" if total else f"{done} B"
                    sys.stderr.write(f"\r{shown}")
            if progress:
                sys.stderr.write("\n")
        if digest is not None and hash_prefix is not None:
            found = digest.hexdigest()
            if not found.startswith(hash_prefix):
                raise RuntimeError(f'invalid hash value (expected "{hash_prefix}", got "{found}")')
        shutil.move(partial, dst)
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def extract_zip_within(archive: zipfile.ZipFile, folder: str) -> None:
    """Extracts every member of `archive` under `folder`, refusing absolute paths and
    members that would land outside it (`..` parts)."""
    root = Path(folder).resolve(strict=False)
    for member in archive.infolist():
        name = os.path.normpath(member.filename)
        if name.startswith(("/", "\\")) or (len(name) >= 2 and name[1] == ":" and name[0].isalpha()):
            raise ValueError(f"Archive entry has absolute path: {member.filename}")
        if ".." in _SEPARATORS.split(name):
            raise ValueError(f"Archive entry contains directory traversal: {member.filename}")
        if not (root / name).resolve(strict=False).is_relative_to(root):
            raise ValueError(f"Archive entry escapes target directory: {member.filename}")
        archive.extract(member, root)


def remove_path(path: str) -> None:
    """Deletes a file or a folder tree if it exists."""
    if os.path.isfile(path):
        os.remove(path)
    elif os.path.isdir(path):
        shutil.rmtree(path)
