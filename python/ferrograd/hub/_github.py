"""Repositories on GitHub: `owner/name[:ref]`, the trusted list, the cached checkout."""

from __future__ import annotations

import json
import os
import shutil
import sys
import warnings
import zipfile
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

from ._dirs import get_dir
from ._download import download_url_to_file, extract_zip_within, remove_path

_TRUSTED_OWNERS = ("facebookresearch", "facebookincubator", "pytorch", "fairinternal")


def _read_json(url: str, headers: dict[str, str]) -> object:
    with urlopen(Request(url, headers=headers)) as response:
        return json.loads(response.read().decode(response.headers.get_content_charset("utf-8")))


def parse_repo(github: str) -> tuple[str, str, str]:
    """`owner/name[:ref]` as (owner, name, ref); without a ref, `main` if the
    repository has it, else `master` (offline: whichever is cached)."""
    info, _, ref = github.partition(":")
    owner, name = info.split("/")
    if ref:
        return owner, name, ref
    try:
        with urlopen(f"https://github.com/{owner}/{name}/tree/main/"):
            return owner, name, "main"
    except HTTPError as err:
        if err.code == 404:
            return owner, name, "master"
        raise
    except URLError as err:
        for candidate in ("main", "master"):
            if os.path.exists(f"{get_dir()}/{owner}_{name}_{candidate}"):
                return owner, name, candidate
        raise RuntimeError(
            "It looks like there is no internet connection and the "
            f"repo could not be found in the cache ({get_dir()})"
        ) from err


def _check_ref_belongs(owner: str, name: str, ref: str) -> None:
    headers = {"Accept": "application/vnd.github.v3+json"}
    if (token := os.environ.get("GITHUB_TOKEN")) is not None:
        headers["Authorization"] = f"token {token}"
    for kind in ("branches", "tags"):
        page = 1
        while True:
            url = f"https://api.github.com/repos/{owner}/{name}/{kind}?per_page=100&page={page}"
            try:
                listed = _read_json(url, headers)
            except HTTPError:
                headers.pop("Authorization", None)
                listed = _read_json(url, headers)
            if not listed:
                break
            for item in listed:  # type: ignore[attr-defined]
                if item["name"] == ref or item["commit"]["sha"].startswith(ref):
                    return
            page += 1
    raise ValueError(
        f"Cannot find {ref} in https://github.com/{owner}/{name}. "
        "If it's a commit from a forked repo, please call hub.load() with forked repo directly."
    )


def _check_trusted(owner: str, name: str, folder_name: str, trust_repo: object) -> None:
    hub_dir = get_dir()
    listing = Path(hub_dir, "trusted_list")
    listing.touch(exist_ok=True)
    trusted = {line.strip() for line in listing.read_text().splitlines()}
    downloaded = set(next(os.walk(hub_dir))[1])
    owner_name = f"{owner}_{name}"
    is_trusted = owner_name in trusted or folder_name in downloaded or owner in _TRUSTED_OWNERS
    if trust_repo is False or (trust_repo == "check" and not is_trusted):
        answer = input(
            f"The repository {owner_name} does not belong to the list of trusted repositories and as "
            "such cannot be downloaded. Do you trust this repository and wish to add it to the trusted "
            "list of repositories (y/N)?"
        ).lower()
        if answer in ("y", "yes"):
            if is_trusted:
                print("The repository is already trusted.")
        elif answer in ("n", "no", ""):
            raise Exception("Untrusted repository.")  # noqa: TRY002 (PyTorch raises a bare Exception)
        else:
            raise ValueError(f"Unrecognized response {answer}.")
    if not is_trusted:
        with listing.open("a") as f:
            f.write(owner_name + "\n")


def checkout(github: str, force_reload: bool, trust_repo: object, verbose: bool = True,
             skip_validation: bool = False) -> str:
    """The folder holding the repository's files at the ref, downloaded unless cached."""
    hub_dir = get_dir()
    os.makedirs(hub_dir, exist_ok=True)
    owner, name, ref = parse_repo(github)
    folder_name = "_".join([owner, name, ref.replace("/", "_")])
    folder = os.path.join(hub_dir, folder_name)
    _check_trusted(owner, name, folder_name, trust_repo)
    if not force_reload and os.path.exists(folder):
        if verbose:
            sys.stderr.write(f"Using cache found in {folder}\n")
        return folder
    if not skip_validation:
        _check_ref_belongs(owner, name, ref)
    archive = os.path.join(hub_dir, ref.replace("/", "_") + ".zip")
    remove_path(archive)
    url = f"https://github.com/{owner}/{name}/zipball/{ref}"
    sys.stdout.write(f'Downloading: "{url}" to {archive}\n')
    try:
        download_url_to_file(url, archive, progress=False)
    except HTTPError as err:
        if err.code != 300:
            raise
        warnings.warn(
            f"The ref {ref} is ambiguous. Perhaps it is both a tag and a branch in the repo? "
            "Torchhub will now assume that it's a branch. You can disambiguate tags and branches by "
            "explicitly passing refs/heads/branch_name or refs/tags/tag_name as the ref. That might "
            "require using skip_validation=True.",
            stacklevel=3,
        )
        download_url_to_file(f"https://github.com/{owner}/{name}/zipball/refs/heads/{ref}", archive, progress=False)
    with zipfile.ZipFile(archive) as zipped:
        top = os.path.join(hub_dir, zipped.infolist()[0].filename)
        remove_path(top)
        extract_zip_within(zipped, hub_dir)
    remove_path(archive)
    remove_path(folder)
    shutil.move(top, folder)
    return folder
