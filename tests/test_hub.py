"""`ferrograd.hub` against PyTorch's `torch.hub`, offline: local hubconf folders, a
cached GitHub checkout, and downloads from file:// URLs (expected texts from PyTorch)."""

import hashlib
import os

import ferrograd as fg
import pytest
from ferrograd import hub


@pytest.fixture
def repo(tmp_path):
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "hubconf.py").write_text(
        "dependencies = ['numpy']\nimport helper_mod\n"
        "def tiny(n=2, scale=1.0):\n    'Makes ones.'\n    return helper_mod.VALUE * n * scale\n"
        "def _private():\n    pass\nnot_callable = 3\n"
    )
    (folder / "helper_mod.py").write_text("VALUE = 7\n")
    return str(folder)


@pytest.fixture
def hub_dir(tmp_path):
    before = hub.get_dir()
    hub.set_dir(str(tmp_path / "hubdir"))
    yield str(tmp_path / "hubdir")
    hub.set_dir(before)


def test_load_local_calls_the_entry_point_with_its_arguments(repo):
    assert hub.load(repo, "tiny", 3, source="local", scale=2) == 42
    assert hub.load(repo, "tiny", source="LOCAL") == 14.0


@pytest.mark.parametrize(
    ("model", "source", "error", "message"),
    [
        ("tiny", "svn", ValueError, 'Unknown source: "svn". Allowed values: "github" | "local".'),
        ("nope", "local", RuntimeError, "Cannot find callable nope in hubconf"),
        ("not_callable", "local", RuntimeError, "Cannot find callable not_callable in hubconf"),
        (3, "local", ValueError, "Invalid input: model should be a string of function name"),
    ],
)
def test_load_refusals(repo, model, source, error, message):
    with pytest.raises(error) as caught:
        hub.load(repo, model, source=source)
    assert str(caught.value) == message


def test_missing_dependencies_are_named(repo):
    with open(os.path.join(repo, "hubconf.py"), "a") as f:
        f.write("dependencies = ['numpy', 'no_such_pkg_xyz']\n")
    with pytest.raises(RuntimeError, match=r"^Missing dependencies: no_such_pkg_xyz$"):
        hub.load(repo, "tiny", source="local")


def test_cached_github_checkout_lists_entry_points_without_network(hub_dir, capsys):
    cached = os.path.join(hub_dir, "someone_proj_main")
    os.makedirs(cached)
    with open(os.path.join(cached, "hubconf.py"), "w") as f:
        f.write("def a(): 'A doc.'\ndef b(): pass\ndef _c(): pass\nx = 1\n")
    assert hub.get_dir() == hub_dir
    assert hub.list("someone/proj:main", trust_repo=True) == ["a", "b"]
    assert hub.help("someone/proj:main", "a", trust_repo=True) == "A doc."
    err = capsys.readouterr().err
    assert err == f"Using cache found in {cached}\n" * 2
    with open(os.path.join(hub_dir, "trusted_list")) as f:
        assert f.read() == ""  # a repository already downloaded counts as trusted


def test_untrusted_repository_is_refused_on_no(hub_dir, monkeypatch):
    os.makedirs(hub_dir)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    with pytest.raises(Exception, match=r"^Untrusted repository\.$"):
        hub.list("someone/other:main")
    monkeypatch.setattr("builtins.input", lambda prompt: "maybe")
    with pytest.raises(ValueError, match=r"^Unrecognized response maybe\.$"):
        hub.list("someone/other:main")


def test_download_checks_the_hash_prefix_and_leaves_nothing_behind(tmp_path):
    source = tmp_path / "payload.bin"
    source.write_bytes(b"hello world")
    digest = hashlib.sha256(b"hello world").hexdigest()
    hub.download_url_to_file(source.as_uri(), str(tmp_path / "out.bin"), hash_prefix=digest[:8], progress=False)
    assert (tmp_path / "out.bin").read_bytes() == b"hello world"
    with pytest.raises(RuntimeError) as caught:
        hub.download_url_to_file(source.as_uri(), str(tmp_path / "bad.bin"), hash_prefix="0000", progress=False)
    assert str(caught.value) == f'invalid hash value (expected "0000", got "{digest}")'
    assert sorted(os.listdir(tmp_path)) == ["out.bin", "payload.bin"]


def test_load_state_dict_from_url_downloads_once_and_loads(tmp_path, capsys):
    saved = tmp_path / "ckpt.pt"
    fg.save({"w": fg.arange(4.0)}, str(saved))
    digest = hashlib.sha256(saved.read_bytes()).hexdigest()
    named = tmp_path / f"weights-{digest[:10]}.pt"
    saved.rename(named)
    model_dir = tmp_path / "md"
    state = hub.load_state_dict_from_url(named.as_uri(), model_dir=str(model_dir), check_hash=True, progress=False)
    assert repr(state) == "{'w': tensor([0., 1., 2., 3.])}"
    target = model_dir / named.name
    assert capsys.readouterr().out == f'Downloading: "{named.as_uri()}" to {target}\n'
    hub.load_state_dict_from_url(named.as_uri(), model_dir=str(model_dir), check_hash=True, progress=False)
    assert capsys.readouterr().out == ""  # cached
    hub.load_state_dict_from_url(named.as_uri(), model_dir=str(model_dir), progress=False, file_name="other.pt")
    assert sorted(os.listdir(model_dir)) == ["other.pt", named.name]


def test_default_dir_follows_torch_home(monkeypatch, tmp_path):
    monkeypatch.setattr("ferrograd.hub._dirs._chosen", None)
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "th"))
    assert hub.get_dir() == str(tmp_path / "th" / "hub")
    monkeypatch.delenv("TORCH_HOME")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert hub.get_dir() == str(tmp_path / "xdg" / "torch" / "hub")
