"""Security guarantees: escaped reports, safe CSV cells, no writes outside --out, safe loaders only.

Reports are checked by parsing them with :mod:`html.parser` (what a browser would build), not
by string search alone. The network test runs every command with socket creation patched to
raise. Everything is generated in ``tmp_path``; nothing needs ``../shared``.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import pickle
import shutil
import socket
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from analyzer.cli import cli
from analyzer.errors import ModelError
from analyzer.safety import FORMULA_PREFIXES

ROOT = Path(__file__).resolve().parent.parent
PROFILE = ROOT / "samples" / "profiles" / "mid-level.json"
MODEL = ROOT / "analyzer" / "models" / "role"

ATTACK = (
    '<script>alert("s")</script><img src=x onerror="alert(1)">'
    '<a href="javascript:alert(2)">Kubernetes</a><svg onload=alert(3)></svg>'
    "<iframe src=javascript:alert(4)></iframe>"
)
# Markdown/plain text: the markup is text to the reader, so it must arrive escaped in reports.
TEXT_POSTING = f"""ML Engineer {ATTACK}

Requirements
- 3+ years of Python and PyTorch {ATTACK}
- Experience with <b onmouseover="alert(5)">Docker</b> and [AWS](javascript:alert(6))
- =HYPERLINK("http://evil.example","SQL") and +cmd|'/C calc'!A0 and @SUM(1) and -2+3

Nice to have: Kubernetes, <script>steal()</script> Terraform
"""
# HTML: the reader drops scripts and tags; entity-encoded markup becomes text.
HTML_POSTING = f"""<html><head><title>AI Engineer {ATTACK}</title>
<script>document.location='http://evil.example'</script></head>
<body onload="alert(7)"><h1>AI Engineer &lt;script&gt;alert(8)&lt;/script&gt;</h1>
<p onclick="alert(9)">Requirements: Python, LangChain and RAG.
&lt;img src=x onerror=alert(10)&gt; &lt;a href="javascript:alert(11)"&gt;x&lt;/a&gt;</p>
<a href="javascript:alert(12)">Kubernetes</a><style>body{{display:none}}</style></body></html>
"""


ACTIVE_TAGS = {"script", "iframe", "object", "embed", "img", "base", "form", "link", "a", "b"}


class _Dom(HTMLParser):
    """Every element and attribute a browser would see."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []
        self.text: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(name, value or "") for name, value in attrs]

    handle_startendtag = handle_starttag


def assert_inert_html(markup: str) -> _Dom:
    """No script element, no on* attribute, no javascript: URL anywhere in the page."""
    dom = _Dom()
    dom.feed(markup)
    dom.close()
    assert sorted(set(dom.tags) & ACTIVE_TAGS) == []
    assert [n for n, _v in dom.attrs if n.lower().startswith("on")] == []
    for _name, value in dom.attrs:
        squashed = "".join(ch for ch in value.lower() if ch.isprintable() and not ch.isspace())
        assert not squashed.startswith(("javascript:", "vbscript:", "data:text/html")), value
    assert dom.tags.count("meta") >= 1  # the Content-Security-Policy is there
    csp = [v for n, v in dom.attrs if n == "content" and "default-src" in v]
    assert csp and "'none'" in csp[0] and "script-src" not in csp[0]
    return dom


@pytest.fixture()
def postings(tmp_path: Path) -> Path:
    folder = tmp_path / "postings"
    folder.mkdir()
    (folder / "attack.md").write_text(TEXT_POSTING, encoding="utf-8")
    (folder / "attack.html").write_text(HTML_POSTING, encoding="utf-8")
    (folder / f"{'<script>alert(13)<'}script>.txt").write_text(TEXT_POSTING, encoding="utf-8")
    return folder


def _invoke(args: list[str]) -> str:
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


# --------------------------------------------------------------------------- HTML escaping


def test_the_html_check_can_fail() -> None:
    with pytest.raises(AssertionError):
        assert_inert_html(f"<meta content=\"default-src 'none'\">{ATTACK}")
    with pytest.raises(AssertionError):
        assert_inert_html('<meta content="default-src \'none\'"><p onclick="x()">a</p>')
    with pytest.raises(AssertionError):
        assert_inert_html(
            '<meta content="default-src \'none\'"><span title="x" style="">'
            '<area href=" JaVa\tScRiPt:alert(1)"></span>'
        )


@pytest.mark.parametrize("name", ["attack.md", "attack.html", "<script>alert(13)<script>.txt"])
def test_analyze_html_escapes_posting_text(postings: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / "page.html"
    _invoke(["analyze", str(postings / name), "--format", "html", "-o", str(out)])
    page = out.read_text(encoding="utf-8")
    dom = assert_inert_html(page)
    assert "mark" in dom.tags or "span" in dom.tags  # the highlighted posting is there
    if name == "attack.md":
        assert "steal()" in "".join(dom.text)  # the posting is shown, as text


@pytest.mark.parametrize("name", ["attack.md", "attack.html"])
def test_analyze_markdown_escapes_raw_html(postings: Path, name: str) -> None:
    output = _invoke(["analyze", str(postings / name), "--format", "markdown"])
    assert "<script" not in output.lower()
    assert "<img" not in output.lower()


@pytest.mark.parametrize("name", ["attack.md", "attack.html", "<script>alert(13)<script>.txt"])
def test_gap_html_escapes_posting_text(postings: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / "gap.html"
    _invoke(
        ["gap", str(postings / name), "-p", str(PROFILE), "--format", "html", "-o", str(out)]
        + ["--as-of", "2026-11-01"]
    )
    assert_inert_html(out.read_text(encoding="utf-8"))


def test_market_gap_html_escapes_posting_text(postings: Path, tmp_path: Path) -> None:
    out = tmp_path / "market.html"
    _invoke(["gap", str(postings), "-p", str(PROFILE), "--format", "html", "-o", str(out)])
    assert_inert_html(out.read_text(encoding="utf-8"))


def test_gap_markdown_escapes_raw_html(postings: Path) -> None:
    output = _invoke(
        ["gap", str(postings / "attack.md"), "-p", str(PROFILE), "--format", "markdown"]
    )
    assert "<script" not in output.lower()


def test_batch_report_html_escapes_posting_text(postings: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", str(postings), "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = (out / "report.html").read_text(encoding="utf-8")
    assert_inert_html(page)
    assert "&lt;script&gt;alert(13)&lt;script&gt;.txt" in page  # the file name, escaped
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "<script" not in markdown.lower()


# --------------------------------------------------------------------------- CSV formulas

FORMULAS = ["=1+1", "+cmd|'/C calc'!A0", "-2+3", "@SUM(1)", "\t=1", "\r=1"]


def _assert_no_formula_cells(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    cells = [cell for row in rows for cell in row]
    bad = [cell for cell in cells if cell.startswith(FORMULA_PREFIXES)]
    assert bad == [], f"{path.name}: {bad}"
    return len(cells)


def test_every_batch_csv_neutralises_formulas(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    table = Path("=jobs.jsonl")  # relative: every source starts with '='
    with table.open("w", encoding="utf-8") as handle:
        for k, formula in enumerate(FORMULAS):
            text = f"{formula} Engineer\nRequirements: {formula} Python, {formula}Kubernetes."
            record = {"id": formula, "title": formula + " ML Engineer", "description": text}
            handle.write(json.dumps(record) + "\n")
            handle.write(json.dumps({"id": f"{formula}{k}", "description": " "}) + "\n")
    folder = Path("@folder")
    folder.mkdir()
    for k, formula in enumerate(["=1+1", "+cmd", "-2+3", "@SUM(1)"]):  # file names
        (folder / f"{formula}{k}.txt").write_text(f"{formula}\nPython and SQL", encoding="utf-8")
        (folder / f"{formula}{k}-empty.txt").write_text("", encoding="utf-8")
    for source in (table, folder):
        out = Path(f"out-{source.name}")
        result = CliRunner().invoke(cli, ["batch", str(source), "--out", str(out)])
        assert result.exit_code == 3, result.output  # the empty ones are error rows
        written = sorted(out.glob("*.csv"))
        assert {p.name for p in written} >= {"postings.csv", "skills.csv", "errors.csv"}
        for path in written:
            _assert_no_formula_cells(path)
    errors = Path("out-=jobs.jsonl", "errors.csv").read_text(encoding="utf-8")
    assert errors.count("'=jobs.jsonl#") == len(FORMULAS)
    assert "'@folder/=1+10-empty.txt" in Path("out-@folder", "errors.csv").read_text("utf-8")
    postings_csv = Path("out-=jobs.jsonl", "postings.csv").read_text(encoding="utf-8")
    assert "'=1+1 ML Engineer" in postings_csv
    assert "'@SUM(1) ML Engineer" in postings_csv
    # the JSONL journal keeps the true values
    journal = Path("out-=jobs.jsonl", "postings.jsonl").read_text(encoding="utf-8")
    assert '"posting_id":"=1+1"' in journal


def test_taxonomy_list_csv_neutralises_formulas(tmp_path: Path) -> None:
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text(
        "skills:\n  - id: formula_tool\n    name: '=HYPERLINK(\"http://x\")'\n"
        "    category: core\n    group: programming\n    aliases: ['@evil', '+cmd', '-minus']\n"
        "    description: '=1+1'\n",
        encoding="utf-8",
    )
    out = tmp_path / "skills.csv"
    _invoke(
        ["taxonomy", "list", "--kind", "skills", "--format", "csv", "-o", str(out)]
        + ["--taxonomy", str(overlay)]
    )
    assert "formula_tool" in out.read_text(encoding="utf-8")
    assert _assert_no_formula_cells(out) > 100


# --------------------------------------------------------------------------- --out confinement


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def test_batch_writes_nothing_outside_out(postings: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep", encoding="utf-8")
    before = _snapshot(tmp_path)
    out = tmp_path / "nested" / "out"
    result = CliRunner().invoke(cli, ["batch", str(postings), "--out", str(out), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    after = {k: v for k, v in _snapshot(tmp_path).items() if not k.startswith("nested/out/")}
    assert after == before
    from analyzer.batch import OUTPUT_FILES

    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)


@pytest.mark.parametrize(
    "name", ["report.html", "postings.csv", "skill_share.csv", ".skillgap-batch.lock"]
)
def test_batch_refuses_symlinked_output_files(postings: Path, tmp_path: Path, name: str) -> None:
    target = tmp_path / "victim.txt"
    target.write_text("precious", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / name).symlink_to(target)
    result = CliRunner().invoke(cli, ["batch", str(postings), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "symbolic link" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert target.read_text(encoding="utf-8") == "precious"


def test_batch_refuses_a_symlinked_temporary_file(postings: Path, tmp_path: Path) -> None:
    target = tmp_path / "victim.txt"
    target.write_text("precious", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".report.html.tmp").symlink_to(target)
    result = CliRunner().invoke(cli, ["batch", str(postings), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == "precious"
    assert not (out / ".report.html.tmp").exists()


# --------------------------------------------------------------------------- safe loading

PWNED_YAML = "!!python/object/apply:os.system ['touch {marker}']"


def test_taxonomy_overlay_with_python_tag_is_refused(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text(
        f"skills:\n  - id: evil\n    name: {PWNED_YAML.format(marker=marker)}\n", "utf-8"
    )
    posting = tmp_path / "p.txt"
    posting.write_text("ML Engineer\nPython", encoding="utf-8")
    result = CliRunner().invoke(cli, ["analyze", str(posting), "--taxonomy", str(overlay)])
    assert result.exit_code == 1
    assert str(overlay) in result.output
    assert "Traceback" not in result.output
    assert not marker.exists()


@pytest.mark.parametrize("suffix", [".yaml", ".yml"])
def test_profile_with_python_tag_is_refused(tmp_path: Path, suffix: str) -> None:
    marker = tmp_path / "pwned"
    profile = tmp_path / f"me{suffix}"
    profile.write_text(f"name: {PWNED_YAML.format(marker=marker)}\nskills: [Python]\n", "utf-8")
    posting = tmp_path / "p.txt"
    posting.write_text("ML Engineer\nPython", encoding="utf-8")
    result = CliRunner().invoke(cli, ["gap", str(posting), "-p", str(profile)])
    assert result.exit_code == 1
    assert str(profile) in result.output
    assert "Traceback" not in result.output
    assert not marker.exists()


class _Payload:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (Path.touch, (str(self.marker),))  # type: ignore[return-value]


def _model_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "model"
    shutil.copytree(MODEL, folder)
    return folder


@pytest.mark.parametrize("name", ["model.pkl", "model.joblib", "weights.pickle"])
def test_pickle_in_model_dir_is_refused(tmp_path: Path, name: str) -> None:
    from analyzer.role_model import load_role_model

    marker = tmp_path / "pwned"
    folder = _model_copy(tmp_path)
    (folder / name).write_bytes(pickle.dumps(_Payload(marker)))
    with pytest.raises(ModelError, match="refusing to load"):
        load_role_model(folder)
    posting = tmp_path / "p.txt"
    posting.write_text("ML Engineer\nPython", encoding="utf-8")
    result = CliRunner().invoke(cli, ["classify", str(posting), "--model", str(folder)])
    assert result.exit_code == 1
    assert "refusing to load" in result.output
    assert not marker.exists()


def test_pickled_arrays_in_npz_are_refused(tmp_path: Path) -> None:
    import hashlib

    from analyzer.role_model import load_role_model

    marker = tmp_path / "pwned"
    folder = _model_copy(tmp_path)
    buffer = io.BytesIO()
    np.savez(buffer, coef=np.array([_Payload(marker)], dtype=object))
    (folder / "weights.npz").write_bytes(buffer.getvalue())
    meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    meta["arrays_sha256"] = hashlib.sha256(buffer.getvalue()).hexdigest()
    (folder / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError):
        load_role_model(folder)
    assert not marker.exists()


_UNSAFE_CALLS = {
    ("pickle", "load"), ("pickle", "loads"), ("pickle", "Unpickler"), ("cPickle", "load"),
    ("joblib", "load"), ("dill", "load"), ("dill", "loads"), ("cloudpickle", "load"),
    ("cloudpickle", "loads"), ("marshal", "load"), ("marshal", "loads"), ("torch", "load"),
    ("yaml", "unsafe_load"), ("yaml", "full_load"), ("yaml", "load_all"), ("pd", "read_pickle"),
    ("pandas", "read_pickle"), ("shelve", "open"),
}  # fmt: skip
_SAFE_LOADERS = {"SafeLoader", "CSafeLoader", "_UniqueKeyLoader", "_SafeLoader"}


def _names(node: ast.AST) -> set[str]:
    return {
        n.id if isinstance(n, ast.Name) else n.attr
        for n in ast.walk(node)
        if isinstance(n, ast.Name | ast.Attribute)
    }


def unsafe_loads(source: str) -> list[str]:
    """Calls that deserialise code: pickle/joblib/marshal, yaml.load without a safe loader,
    numpy.load with allow_pickle=True. Loader names assigned in the module must be safe."""
    tree = ast.parse(source)
    assigned: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    assigned.setdefault(target.id, set()).update(_names(node.value))
        if isinstance(node, ast.ClassDef):
            assigned.setdefault(node.name, set()).update(*(_names(b) for b in node.bases))

    def safe_loader(name: str, seen: frozenset[str] = frozenset()) -> bool:
        if name in {"SafeLoader", "CSafeLoader"}:
            return True
        if name in seen or name not in assigned:
            return False
        parts = assigned[name] - {"yaml", "getattr"}
        return bool(parts) and all(safe_loader(p, seen | {name}) for p in parts)

    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        owner = node.func.value
        owner_name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
        call = (owner_name, node.func.attr)
        keywords = {k.arg: k.value for k in node.keywords}
        if call in _UNSAFE_CALLS:
            found.append(f"line {node.lineno}: {owner_name}.{node.func.attr}")
        elif call == ("yaml", "load"):
            loader = keywords.get("Loader") or (node.args[1] if len(node.args) > 1 else None)
            if loader is None or not all(safe_loader(n) for n in _names(loader) - {"yaml"}):
                found.append(f"line {node.lineno}: yaml.load without a safe loader")
        elif node.func.attr == "load" and owner_name in {"np", "numpy"}:
            flag = keywords.get("allow_pickle")
            if not (isinstance(flag, ast.Constant) and flag.value is False):
                found.append(f"line {node.lineno}: numpy.load without allow_pickle=False")
    return found


def test_the_loader_scan_can_fail() -> None:
    assert unsafe_loads("import pickle\npickle.load(open('m'))")
    assert unsafe_loads("import joblib\njoblib.load('m.joblib')")
    assert unsafe_loads("import yaml\nyaml.load(text)")
    assert unsafe_loads("import yaml\nyaml.load(text, Loader=yaml.Loader)")
    assert unsafe_loads("import yaml\nL = yaml.FullLoader\nyaml.load(text, Loader=L)")
    assert unsafe_loads("import numpy as np\nnp.load(f)")
    assert not unsafe_loads(
        "import yaml\nL = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)\nyaml.load(text, Loader=L)"
    )
    assert not unsafe_loads("import numpy as np\nnp.load(f, allow_pickle=False)")


def test_no_module_loads_untrusted_code() -> None:
    problems = {}
    files = sorted((ROOT / "analyzer").rglob("*.py")) + sorted((ROOT / "benchmarks").rglob("*.py"))
    assert len(files) > 30
    for path in files:
        found = unsafe_loads(path.read_text(encoding="utf-8"))
        if found:
            problems[str(path.relative_to(ROOT))] = found
    assert problems == {}


# --------------------------------------------------------------------------- no network


@pytest.fixture()
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    attempts: list[str] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(repr(args)[:80])
        raise OSError("network access is forbidden in this test")

    monkeypatch.setattr(socket.socket, "__init__", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "socketpair", refuse)
    return attempts


def test_the_network_guard_can_fail(no_network: list[str]) -> None:
    with pytest.raises(OSError, match="forbidden"):
        socket.socket()
    assert len(no_network) == 1


def test_every_command_works_without_network(no_network: list[str], tmp_path: Path) -> None:
    posting = ROOT / "samples" / "postings" / "ml-engineer-aws.txt"
    folder = ROOT / "samples" / "postings"
    analysed = json.loads(_invoke(["analyze", str(posting), "--format", "json"]))
    assert analysed["skills"]
    assert "<html" in _invoke(["analyze", str(posting), "--format", "html"])
    assert "Overall: 100 x" in _invoke(["gap", str(posting), "-p", str(PROFILE)])
    assert json.loads(_invoke(["gap", str(folder), "-p", str(PROFILE), "--format", "json"]))
    assert json.loads(_invoke(["classify", str(posting), "--format", "json"]))
    result = CliRunner().invoke(cli, ["batch", str(folder), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(
        cli, ["batch", str(folder), "--out", str(tmp_path / "o2"), "--jobs", "2"]
    )
    assert result.exit_code == 0, result.output
    assert _invoke(["taxonomy", "validate"])
    assert no_network == []
