"""`ferrograd.hub` (PyTorch's `torch.hub`): models published as a `hubconf.py` in a
GitHub repository or a local folder, and checkpoints downloaded once into a cache.

The cache is PyTorch's (`$TORCH_HOME/hub`, default `~/.cache/torch/hub`), so downloads
made by either library are reused by the other."""

from __future__ import annotations

import builtins
import os
import re
import sys
import warnings
import zipfile
from typing import Any
from urllib.parse import urlparse

from ._dirs import get_dir, set_dir
from ._download import download_url_to_file, extract_zip_within
from ._github import checkout
from ._hubconf import call_entry, entry_point, entry_points, import_hubconf

__all__ = ["download_url_to_file", "get_dir", "help", "list", "load", "load_state_dict_from_url", "set_dir"]

_HASH_IN_NAME = re.compile(r"-([a-f0-9]*)\.")


def list(github: str, force_reload: bool = False, skip_validation: bool = False,
         trust_repo: Any = "check", verbose: bool = True) -> builtins.list[str]:
    """The entry points of a GitHub repository's `hubconf.py`.

    Args:
        github: `"owner/name[:ref]"`; without a ref, `main` if it exists, else `master`.
        force_reload: download again even when cached.
        skip_validation: do not ask GitHub's API whether the ref belongs to the repository.
        trust_repo: `"check"` (ask unless already trusted), True, or False (always ask).
        verbose: report when the cache is used.
    """
    folder = checkout(github, force_reload, trust_repo, verbose=verbose, skip_validation=skip_validation)
    return entry_points(import_hubconf(folder))


def help(github: str, model: str, force_reload: bool = False, skip_validation: bool = False,
         trust_repo: Any = "check") -> str | None:
    """The docstring of one entry point of a GitHub repository's `hubconf.py`.

    Args:
        github: `"owner/name[:ref]"`.
        model: the entry point's name.
        force_reload: download again even when cached.
        skip_validation: do not ask GitHub's API whether the ref belongs to the repository.
        trust_repo: `"check"`, True or False, as for `list`.
    """
    folder = checkout(github, force_reload, trust_repo, verbose=True, skip_validation=skip_validation)
    return entry_point(import_hubconf(folder), model).__doc__


def load(repo_or_dir: str, model: str, *args: Any, source: str = "github", trust_repo: Any = "check",
         force_reload: bool = False, verbose: bool = True, skip_validation: bool = False, **kwargs: Any) -> Any:
    """Calls the entry point `model` of a repository's `hubconf.py` with `args` and `kwargs`.

    Args:
        repo_or_dir: `"owner/name[:ref]"` when `source="github"`, a folder when `"local"`.
        model: the entry point's name.
        *args: positional arguments for the entry point.
        source: `"github"` or `"local"`.
        trust_repo: `"check"`, True or False, as for `list`.
        force_reload: download again even when cached (GitHub only).
        verbose: report when the cache is used (GitHub only).
        skip_validation: do not ask GitHub's API whether the ref belongs to the repository.
        **kwargs: keyword arguments for the entry point.
    """
    source = source.lower()
    if source not in ("github", "local"):
        raise ValueError(f'Unknown source: "{source}". Allowed values: "github" | "local".')
    if source == "github":
        repo_or_dir = checkout(repo_or_dir, force_reload, trust_repo, verbose=verbose, skip_validation=skip_validation)
    return call_entry(repo_or_dir, model, *args, **kwargs)


def load_state_dict_from_url(url: str, model_dir: str | None = None, map_location: Any = None,
                             progress: bool = True, check_hash: bool = False, file_name: str | None = None,
                             weights_only: bool = False) -> Any:
    """Loads a saved object from `url`, downloading it into `model_dir` unless it is there.

    Args:
        url: where the file is.
        model_dir: the cache folder (default `<get_dir()>/checkpoints`).
        map_location: as for `ferrograd.load`.
        progress: report the download on stderr.
        check_hash: the file name must be `name-<sha256 prefix>.ext`; the contents are checked.
        file_name: the name to save under (default: the URL's).
        weights_only: as for `ferrograd.load`.
    """
    from .. import load as load_saved

    if os.getenv("TORCH_MODEL_ZOO"):
        warnings.warn("TORCH_MODEL_ZOO is deprecated, please use env TORCH_HOME instead", stacklevel=2)
    if model_dir is None:
        model_dir = os.path.join(get_dir(), "checkpoints")
    os.makedirs(model_dir, exist_ok=True)
    name = file_name if file_name is not None else os.path.basename(urlparse(url).path)
    cached = os.path.join(model_dir, name)
    if not os.path.exists(cached):
        sys.stdout.write(f'Downloading: "{url}" to {cached}\n')
        found = _HASH_IN_NAME.search(name) if check_hash else None
        download_url_to_file(url, cached, found.group(1) if found else None, progress=progress)
    if _single_file_zip(cached):
        warnings.warn(
            "Falling back to the old format < 1.6. This support will be deprecated in favor of default "
            "zipfile format introduced in 1.6. Please redo torch.save() to save it in the new zipfile format.",
            FutureWarning,
            stacklevel=2,
        )
        with zipfile.ZipFile(cached) as zipped:
            members = zipped.infolist()
            if len(members) != 1:
                raise RuntimeError("Only one file(not dir) is allowed in the zipfile")
            extract_zip_within(zipped, model_dir)
            cached = os.path.join(model_dir, members[0].filename)
    return load_saved(cached, map_location=map_location, weights_only=weights_only)


def _single_file_zip(path: str) -> bool:
    """A zip of one file: the layout of checkpoints zipped by hand before PyTorch 1.6."""
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as zipped:
        members = zipped.infolist()
    return len(members) == 1 and not members[0].is_dir()
