"""Every code example of the user guide (docs/*.md) and of README.md runs.

The ```python blocks of one page run in order, in one namespace (a page reads like one
session), in a fresh temporary directory. A block fenced as ```output right after a
```python block is what that block prints: the two are compared line by line (trailing
spaces ignored). Relative links of the pages must point at files that exist.

With FG_TEST_BACKEND=torch the same blocks run on PyTorch (`ferrograd` in the code and in
the expected output read as `torch`), which proves that what the pages show is PyTorch's
behaviour; blocks fenced as ```python ferrograd-only (ferrograd's own API such as
`graph_stats`, or the places where the pages say how ferrograd differs) run only on
ferrograd.
"""

from __future__ import annotations

import contextlib
import io
import pathlib
import re

import pytest
from backend import IS_TORCH

ROOT = pathlib.Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]
FENCE = re.compile(r"^(\s*)```(.*)$")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


class Block:
    def __init__(self, info: str, line: int, text: str):
        self.info, self.line, self.text = info, line, text


def blocks(page: pathlib.Path) -> list[Block]:
    """The fenced blocks of a Markdown page: info string, first line number (1-based, the
    line after the opening fence) and the text with the fence's indentation removed."""
    out: list[Block] = []
    lines = page.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, info = len(m.group(1)), m.group(2).strip()
        start, body = i + 1, []
        i += 1
        while i < len(lines) and not FENCE.match(lines[i]):
            line = lines[i]
            body.append(line[indent:] if line[:indent].strip() == "" else line.lstrip())
            i += 1
        if i == len(lines):
            raise AssertionError(f"{page.name}:{start}: a code block is never closed")
        out.append(Block(info, start + 1, "\n".join(body) + "\n"))
        i += 1  # the closing fence
    return out


def _name(page: pathlib.Path) -> str:
    return str(page.relative_to(ROOT)) if page.is_relative_to(ROOT) else str(page)


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.rstrip("\n").splitlines()]


PYTHON, FERROGRAD_ONLY = "python", "python ferrograd-only"


def as_torch(text: str) -> str:
    """A block (or its output) as it reads on PyTorch."""
    return text.replace("import ferrograd as torch", "import torch").replace("ferrograd", "torch")


def run_page(page: pathlib.Path, on_torch: bool = False) -> int:
    """Runs the page's python blocks; returns how many printed output was compared."""
    found = blocks(page)
    namespace: dict = {"__name__": f"docs_{page.stem}"}
    compared = 0
    for k, block in enumerate(found):
        if block.info == "output":
            prev = found[k - 1] if k else None
            assert prev is not None and prev.info in (PYTHON, FERROGRAD_ONLY), (
                f"{page.name}:{block.line}: an output block must follow a python block"
            )
            continue
        if block.info not in (PYTHON, FERROGRAD_ONLY) or (on_torch and block.info != PYTHON):
            continue
        where = f"{_name(page)}:{block.line}"
        # Pad with newlines so that a traceback names the Markdown file's own line numbers.
        text = as_torch(block.text) if on_torch else block.text
        code = compile("\n" * (block.line - 1) + text, _name(page), "exec")
        captured = io.StringIO()
        with contextlib.redirect_stdout(captured):
            exec(code, namespace)  # noqa: S102 - the documentation's own examples
        following = found[k + 1] if k + 1 < len(found) else None
        if following is not None and following.info == "output":
            shown = as_torch(following.text) if on_torch else following.text
            assert _lines(captured.getvalue()) == _lines(shown), (
                f"{where}: printed\n{captured.getvalue()}\nbut the page shows\n{shown}"
            )
            compared += 1
    return compared


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_page_examples_run_and_print_what_they_show(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(ROOT / "examples"))
    compared = run_page(page, on_torch=IS_TORCH)
    found = blocks(page)
    outputs = sum(
        b.info == "output" and (not IS_TORCH or found[k - 1].info == PYTHON)
        for k, b in enumerate(found)
    )
    assert compared == outputs


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_point_at_files(page):
    text = page.read_text(encoding="utf-8")
    missing = []
    for target in LINK.findall(text):
        if "://" in target or target.startswith(("#", "mailto:")):
            continue
        path = (page.parent / target.split("#", 1)[0]).resolve()
        if not path.exists():
            missing.append(target)
    assert missing == []


def test_guide_pages_exist_and_have_examples():
    names = {p.name for p in PAGES}
    assert {"index.md", "autograd.md", "porting.md", "performance.md", "reliability.md"} <= names
    for name in ("index.md", "autograd.md", "porting.md"):
        assert any(b.info == PYTHON for b in blocks(ROOT / "docs" / name)), name


def test_extractor_reads_blocks_and_line_numbers(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("text\n```python\nprint(1 + 1)\n```\n\n```output\n2\n```\n  ```bash\n  ls\n  ```\n")
    found = blocks(page)
    assert [(b.info, b.line, b.text) for b in found] == [
        ("python", 3, "print(1 + 1)\n"),
        ("output", 7, "2\n"),
        ("bash", 10, "ls\n"),
    ]
    assert run_page(page) == 1


def test_torch_reading_of_a_block():
    assert as_torch("import ferrograd as torch\nx = ferrograd.nn\n") == "import torch\nx = torch.nn\n"
    assert as_torch("ferrograd.Size([2])") == "torch.Size([2])"


def test_a_wrong_output_block_fails(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("```python\nprint('yes')\n```\n```output\nno\n```\n")
    with pytest.raises(AssertionError, match="printed"):
        run_page(page)
