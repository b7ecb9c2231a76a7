"""Batch analysis: input kinds, column detection, errors, safety, resume, --jobs, the API."""

from __future__ import annotations

import csv
import json
import os
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from analyzer.batch import (
    EXIT_OK,
    EXIT_PARTIAL,
    OUTPUT_FILES,
    BatchError,
    BatchStats,
    analyze_folder,
    read_errors,
    run_batch,
)
from analyzer.batch_input import ColumnSpec, Failure, Task, iter_inputs, load_task
from analyzer.errors import InputError
from analyzer.frames import POSTING_COLUMNS, SKILL_COLUMNS, SUMMARY_COLUMNS
from analyzer.taxonomy import Taxonomy

REPO = Path(__file__).resolve().parent.parent
PROFILES = REPO / "samples" / "profiles"

ML_POSTING = """Machine Learning Engineer

About the role
You will train and ship models for our search product.

Requirements
- 4+ years of Python and SQL
- Experience with PyTorch and Docker
- Deploy models on AWS SageMaker

Nice to have
- Kubernetes
"""

GENAI_POSTING = """# GenAI Engineer

## What you need
- Build retrieval-augmented generation services with LangChain
- Strong Python; vector databases such as Pinecone
- Azure OpenAI experience is a plus
"""

ANALYST_POSTING = """<html><head><title>Data Analyst</title></head><body>
<h1>Data Analyst</h1><p>We are hiring an analyst.</p>
<h2>Requirements</h2><ul><li>SQL and Excel</li><li>Tableau dashboards</li>
<li>Statistics</li></ul></body></html>"""


def records(folder: Path) -> list[dict]:
    lines = (folder / "postings.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def errors(folder: Path) -> list[dict[str, str]]:
    return list(read_errors(folder / "errors.csv"))


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in OUTPUT_FILES}


@pytest.fixture
def postings_dir(tmp_path: Path) -> Path:
    """A folder with one posting of each document kind, nested one level."""
    root = tmp_path / "in"
    (root / "nested").mkdir(parents=True)
    (root / "a-ml.txt").write_text(ML_POSTING, encoding="utf-8")
    (root / "b-genai.md").write_text(GENAI_POSTING, encoding="utf-8")
    (root / "nested" / "c-analyst.html").write_text(ANALYST_POSTING, encoding="utf-8")
    shutil.copy(PROFILES / "resume.pdf", root / "d-doc.pdf")
    shutil.copy(PROFILES / "resume.docx", root / "e-doc.docx")
    (root / "f-one.json").write_text(
        json.dumps({"title": "MLOps Engineer", "text": "MLOps Engineer\nKubeflow and MLflow."}),
        encoding="utf-8",
    )
    (root / "g-list.json").write_text(
        json.dumps(
            [
                {"job_title": "Data Scientist", "description": "Data Scientist\nPython, pandas."},
                {"title": "AI Engineer", "body": "AI Engineer\nPrompt engineering, LLMs."},
            ]
        ),
        encoding="utf-8",
    )
    (root / "notes.xlsx").write_bytes(b"ignored: not a posting type")
    (root / ".hidden.txt").write_text("ignored: hidden", encoding="utf-8")
    return root


# --------------------------------------------------------------------------- inputs


def test_folder_reads_every_kind_in_name_order(postings_dir: Path) -> None:
    items = list(iter_inputs(postings_dir))
    assert all(isinstance(i, Task) for i in items)
    names = [os.path.relpath(i.source, postings_dir) for i in items]
    assert names == [
        "a-ml.txt",
        "b-genai.md",
        "d-doc.pdf",
        "e-doc.docx",
        "f-one.json",
        "g-list.json#1",
        "g-list.json#2",
        os.path.join("nested", "c-analyst.html"),
    ]


def test_batch_over_folder(postings_dir: Path, tmp_path: Path, taxonomy: Taxonomy) -> None:
    stats, tables = run_batch(postings_dir, tmp_path / "out", taxonomy=taxonomy)
    out = tmp_path / "out"
    assert stats.exit_status == EXIT_OK and stats.postings == 8 and stats.errors == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)
    by_source = {os.path.relpath(r["source"], postings_dir): r for r in records(out)}
    assert by_source["a-ml.txt"]["title"] == "Machine Learning Engineer"
    assert by_source["nested/c-analyst.html"]["title"] == "Data Analyst"
    assert by_source["f-one.json"]["title"] == "MLOps Engineer"
    assert by_source["g-list.json#1"]["title"] == "Data Scientist"
    ml = {s["id"]: s for s in by_source["a-ml.txt"]["skills"]}
    assert ml["python"]["requirement"] == "required" and ml["python"]["years"] == 4
    assert ml["kubernetes"]["requirement"] == "preferred"
    assert by_source["a-ml.txt"]["primary_ecosystem"] == "aws"
    for record in by_source.values():
        assert record["schema_version"] == "1" and "posting_id" in record
    assert {"python", "sql"} <= {s["id"] for s in by_source["nested/c-analyst.html"]["skills"]} | {
        "python"
    }
    share = {row["skill_id"]: row for row in tables["skill_share"]}
    assert share["python"]["postings"] >= 3
    assert share["python"]["share"] == round(share["python"]["postings"] / 8, 4)


def test_output_matches_contract_schema(postings_dir: Path, tmp_path: Path, taxonomy) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from importlib import resources

    schema = json.loads(
        resources.files("analyzer").joinpath("contract/analysis.schema.json").read_text()
    )
    run_batch(postings_dir, tmp_path / "out", taxonomy=taxonomy)
    for record in records(tmp_path / "out"):
        jsonschema.validate(record, schema)


@pytest.mark.parametrize(
    ("header", "expected_text"),
    [
        (["job_id", "job_title", "job_description"], "job_description"),
        (["ID", "Title", "Description"], "Description"),
        (["url", "position", "text"], "text"),
    ],
)
def test_csv_columns_are_detected(tmp_path: Path, header: list[str], expected_text: str) -> None:
    path = tmp_path / "jobs.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerow(["j-1", "ML Engineer", "ML Engineer\nPython and PyTorch."])
        writer.writerow(["", "", ""])  # a blank row is skipped, not an error
        writer.writerow(["j-2", "Analyst", "Analyst\nSQL."])
    items = list(iter_inputs(path))
    assert [i.source for i in items] == [f"{path}#1", f"{path}#3"]
    assert [(i.posting_id, i.title) for i in items] == [("j-1", "ML Engineer"), ("j-2", "Analyst")]
    assert items[0].text.startswith("ML Engineer")


def test_explicit_columns_and_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "jobs.csv"
    path.write_text("ref,headline,posting_body\nr1,Data Engineer,Spark and Airflow.\n")
    spec = ColumnSpec(text="posting_body", title="Headline", id="REF")
    (item,) = iter_inputs(path, columns=spec)
    assert (item.source, item.title, item.posting_id) == (f"{path}#1", "Data Engineer", "r1")
    (failure,) = iter_inputs(path)
    assert isinstance(failure, Failure) and "no text column" in failure.reason
    (failure,) = iter_inputs(path, columns=ColumnSpec(text="missing"))
    assert "no column 'missing'" in failure.reason and "posting_body" in failure.reason


def test_jsonl_rows(tmp_path: Path, taxonomy: Taxonomy) -> None:
    path = tmp_path / "jobs.jsonl"
    path.write_text(
        json.dumps({"id": 7, "title": "ML Engineer", "description": "Python, Docker."})
        + "\n\n{not json\n"
        + json.dumps({"id": "x", "description": "   "})
        + "\n"
        + json.dumps(["a list"])
        + "\n"
        + json.dumps({"id": "y", "description": "<p>Uses <b>SQL</b></p><p>and</p><p>R</p>"})
        + "\n",
        encoding="utf-8",
    )
    stats, _ = run_batch(path, tmp_path / "out", taxonomy=taxonomy)
    assert (stats.postings, stats.errors, stats.exit_status) == (2, 3, EXIT_PARTIAL)
    got = records(tmp_path / "out")
    assert [(r["source"], r["posting_id"]) for r in got] == [(f"{path}#1", "7"), (f"{path}#6", "y")]
    reasons = {e["source"]: e["reason"] for e in errors(tmp_path / "out")}
    assert reasons[f"{path}#3"].startswith("not valid JSON")
    assert reasons[f"{path}#4"].startswith("empty")
    assert "expected a JSON object" in reasons[f"{path}#5"]
    html_row = got[1]
    assert any(s["id"] == "sql" for s in html_row["skills"])


JOBSPY_COLUMNS = [
    "id",
    "site",
    "job_url",
    "job_url_direct",
    "title",
    "company",
    "location",
    "date_posted",
    "job_type",
    "salary_source",
    "interval",
    "min_amount",
    "max_amount",
    "currency",
    "is_remote",
    "job_level",
    "job_function",
    "listing_type",
    "emails",
    "description",
    "company_industry",
    "company_url",
    "company_logo",
    "company_url_direct",
    "company_addresses",
    "company_num_employees",
    "company_revenue",
    "company_description",
    "skills",
    "experience_range",
    "company_rating",
    "company_reviews_count",
    "vacancy_count",
    "work_from_home_type",
]


def test_jobspy_csv_works_as_it_is(tmp_path: Path, taxonomy: Taxonomy) -> None:
    path = tmp_path / "jobspy.csv"
    rows = [
        {
            "id": "li-4012",
            "site": "linkedin",
            "job_url": "https://www.linkedin.com/jobs/view/4012",
            "title": "Senior AI Engineer",
            "company": "Acme Robotics",
            "location": "Austin, TX, US",
            "is_remote": "False",
            "min_amount": "150000.0",
            "description": (
                "**Senior AI Engineer**\n\n**What you will do**\n\n\\- Build RAG pipelines "
                "with LangChain and a vector database\n\\- Ship services on Kubernetes\n\n"
                '**Requirements**\n\n\\- 5+ years of Python\n\\- "Strong" AWS skills, e.g. '
                "Amazon Bedrock"
            ),
            "company_description": "We build warehouse robots; Java shop.",
            "skills": "Python, Java",
        },
        {
            "id": "in-99",
            "site": "indeed",
            "job_url": "https://www.indeed.com/viewjob?jk=99",
            "title": "Data Analyst",
            "description": "Data Analyst\n\nSQL, Tableau and Excel; statistics a plus.",
        },
        {"id": "gl-1", "site": "glassdoor", "title": "Empty listing", "description": ""},
    ]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=JOBSPY_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    stats, _ = run_batch(path, tmp_path / "out", taxonomy=taxonomy)
    assert (stats.postings, stats.errors) == (2, 1)
    got = records(tmp_path / "out")
    assert [(r["source"], r["posting_id"], r["title"]) for r in got] == [
        (f"{path}#1", "li-4012", "Senior AI Engineer"),
        (f"{path}#2", "in-99", "Data Analyst"),
    ]
    ids = {s["id"] for s in got[0]["skills"]}
    assert {"rag", "langchain", "kubernetes", "python", "amazon_bedrock"} <= ids
    assert "java" not in ids  # company_description and skills columns are not the posting
    python = next(s for s in got[0]["skills"] if s["id"] == "python")
    assert python["years"] == 5
    (error,) = errors(tmp_path / "out")
    assert error["source"] == f"{path}#3" and error["reason"].startswith("empty")


def test_bad_files_are_recorded_and_skipped(tmp_path: Path, taxonomy: Taxonomy) -> None:
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "good.txt").write_text(ML_POSTING, encoding="utf-8")
    (root / "empty.txt").write_text("  \n", encoding="utf-8")
    (root / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (root / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (root / "broken.docx").write_bytes(b"PK not a zip")
    (root / "bad.json").write_text("{", encoding="utf-8")
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    (root / "dangling.md").symlink_to(root / "missing.md")
    stats, _ = run_batch(root, tmp_path / "out", taxonomy=taxonomy)
    assert stats.postings == 1 and stats.exit_status == EXIT_PARTIAL
    reasons = {os.path.relpath(e["source"], root): e["reason"] for e in errors(tmp_path / "out")}
    assert set(reasons) == {
        "bad.json",
        "binary.txt",
        "broken.docx",
        "broken.pdf",
        "dangling.md",
        "empty.txt",
        os.path.join("sub", "loop"),
    }
    assert reasons["empty.txt"].startswith("empty")
    assert "binary" in reasons["binary.txt"]
    assert "loop" in reasons[os.path.join("sub", "loop")]
    assert reasons["dangling.md"] == "broken symbolic link"
    assert all("\n" not in r for r in reasons.values())


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads everything")
def test_unreadable_file_and_folder(tmp_path: Path, taxonomy: Taxonomy) -> None:
    root = tmp_path / "in"
    (root / "locked").mkdir(parents=True)
    (root / "secret.txt").write_text(ML_POSTING)
    (root / "ok.txt").write_text(ML_POSTING)
    (root / "secret.txt").chmod(0)
    (root / "locked").chmod(0)
    try:
        stats, _ = run_batch(root, tmp_path / "out", taxonomy=taxonomy)
    finally:
        (root / "secret.txt").chmod(0o644)
        (root / "locked").chmod(0o755)
    assert (stats.postings, stats.errors) == (1, 2)
    assert all("permission denied" in e["reason"] for e in errors(tmp_path / "out"))


def test_oversize_row_and_file(tmp_path: Path, taxonomy: Taxonomy) -> None:
    path = tmp_path / "jobs.jsonl"
    path.write_text(json.dumps({"text": "Python " * 400}) + "\n", encoding="utf-8")
    stats, _ = run_batch(path, tmp_path / "out", taxonomy=taxonomy, max_bytes=1000)
    assert stats.errors == 1 and "too large" in errors(tmp_path / "out")[0]["reason"]


def test_load_task_refuses_empty_text() -> None:
    with pytest.raises(InputError, match="empty"):
        load_task(Task(source="x#1", text="   "))
    posting = load_task(Task(source="x#2", text="ML Engineer\r\nPython"))
    assert posting.text == "ML Engineer\nPython" and posting.title == "ML Engineer"


def test_missing_input_raises(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        run_batch(tmp_path / "nope", tmp_path / "out")


# --------------------------------------------------------------------------- safety


def test_formulas_are_neutralised_in_every_csv(tmp_path: Path, taxonomy: Taxonomy) -> None:
    path = tmp_path / "jobs.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "description"])
        writer.writerow(["=1+1", '=HYPERLINK("http://x","y")', "ML Engineer\nPython and SQL."])
        writer.writerow(["@SUM(A1)", "\tTabbed", "Engineer\nDocker."])
        writer.writerow(["+3", "-minus", ""])
    run_batch(path, tmp_path / "out", taxonomy=taxonomy)
    rows = csv_rows(tmp_path / "out" / "postings.csv")
    assert [(r["posting_id"], r["title"]) for r in rows] == [
        ("'=1+1", '\'=HYPERLINK("http://x","y")'),
        ("'@SUM(A1)", "Tabbed"),  # the title is stripped, so no tab survives
    ]
    for name in OUTPUT_FILES:
        if name.endswith(".csv"):
            for row in csv.reader((tmp_path / "out" / name).open(encoding="utf-8")):
                assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)
    # the journals keep the true values
    assert records(tmp_path / "out")[0]["title"] == '=HYPERLINK("http://x","y")'


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)

    handle_startendtag = handle_starttag


def test_report_escapes_posting_text(tmp_path: Path, taxonomy: Taxonomy) -> None:
    evil = '<script>alert("x")</script><img src=x onerror="alert(1)">'
    root = tmp_path / "in"
    root.mkdir()
    (root / "jobs.jsonl").write_text(
        json.dumps(
            {
                "id": evil,
                "title": f"ML Engineer {evil}",
                "description": f"ML Engineer\nPython and <b>SQL</b>. ZorbTool{evil} FooBarDB",
            }
        )
        + "\n"
        + json.dumps({"title": evil, "description": ""})
        + "\n",
        encoding="utf-8",
    )
    evil_name = root / "x<svg onload=alert(1)>.txt"
    evil_name.write_text(ML_POSTING, encoding="utf-8")
    run_batch(root, tmp_path / "out", taxonomy=taxonomy)
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(page)
    assert "script" not in parser.tags and "img" not in parser.tags
    assert "iframe" not in parser.tags and "object" not in parser.tags
    assert not [name for name, _value in parser.attributes if name.startswith("on")]
    assert not [v for _n, v in parser.attributes if v and "javascript:" in v.lower()]
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "ML Engineer &lt;script&gt;" in page
    markdown = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown


def test_out_folder_inside_input_is_not_read(tmp_path: Path, taxonomy: Taxonomy) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.txt").write_text(ML_POSTING, encoding="utf-8")
    run_batch(root, root / "out", taxonomy=taxonomy)
    stats, _ = run_batch(root, root / "out", taxonomy=taxonomy)
    assert (stats.postings, stats.errors) == (1, 0)


def test_input_that_is_an_output_file_is_refused(tmp_path: Path, taxonomy: Taxonomy) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "postings.jsonl").write_text(json.dumps({"text": ML_POSTING}) + "\n")
    with pytest.raises(BatchError, match="would write"):
        run_batch(out / "postings.jsonl", out, taxonomy=taxonomy)
    assert "Machine Learning Engineer" in (out / "postings.jsonl").read_text()


def test_out_that_cannot_be_created_is_a_batch_error(tmp_path: Path, taxonomy: Taxonomy) -> None:
    (tmp_path / "a.txt").write_text(ML_POSTING)
    (tmp_path / "file").write_text("x")
    with pytest.raises(BatchError, match="not a folder"):
        run_batch(tmp_path / "a.txt", tmp_path / "file", taxonomy=taxonomy)
    with pytest.raises(BatchError, match="cannot write here"):
        run_batch(tmp_path / "a.txt", tmp_path / "file" / "sub", taxonomy=taxonomy)


def test_symlinked_journal_is_refused(tmp_path: Path, taxonomy: Taxonomy) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = tmp_path / "elsewhere.jsonl"
    target.write_text("keep\n")
    (out / "postings.jsonl").symlink_to(target)
    (tmp_path / "a.txt").write_text(ML_POSTING)
    with pytest.raises(BatchError, match="symbolic link"):
        run_batch(tmp_path / "a.txt", out, taxonomy=taxonomy)
    assert target.read_text() == "keep\n"


def test_concurrent_run_is_refused(tmp_path: Path, taxonomy: Taxonomy) -> None:
    fcntl = pytest.importorskip("fcntl")
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "a.txt").write_text(ML_POSTING)
    with (out / ".skillgap-batch.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        with pytest.raises(BatchError, match="another skillgap batch"):
            run_batch(tmp_path / "a.txt", out, taxonomy=taxonomy)
    stats, _ = run_batch(tmp_path / "a.txt", out, taxonomy=taxonomy)
    assert stats.postings == 1 and not (out / ".skillgap-batch.lock").exists()


# --------------------------------------------------------------------------- resume and jobs


@pytest.fixture
def many(tmp_path: Path) -> Path:
    """A JSONL of 40 postings with a few bad rows among them."""
    path = tmp_path / "many.jsonl"
    texts = [ML_POSTING, GENAI_POSTING, ANALYST_POSTING]
    with path.open("w", encoding="utf-8") as handle:
        for i in range(40):
            body = "" if i % 13 == 5 else texts[i % 3] + f"\nTeam {i}: works with Tool{i}Kit."
            handle.write(json.dumps({"id": f"p{i}", "description": body}) + "\n")
    return path


class _StopAfter:
    def __init__(self, k: int) -> None:
        self.k = k

    def __call__(self, stats: BatchStats) -> None:
        if stats.done >= self.k:
            raise KeyboardInterrupt


@pytest.mark.parametrize("jobs", [1, 2])
def test_interrupt_then_resume_equals_one_run(
    many: Path, tmp_path: Path, taxonomy: Taxonomy, jobs: int
) -> None:
    run_batch(many, tmp_path / "straight", taxonomy=taxonomy)
    out = tmp_path / "resumed"
    with pytest.raises(KeyboardInterrupt):
        run_batch(many, out, taxonomy=taxonomy, jobs=jobs, chunk_size=4, on_item=_StopAfter(9))
    assert not (out / ".skillgap-batch.lock").exists()
    written = (out / "postings.jsonl").read_text(encoding="utf-8")
    assert written.endswith("\n") and len(written.splitlines()) + len(errors(out)) == 9
    assert not (out / "report.html").exists()
    stats, _ = run_batch(many, out, taxonomy=taxonomy, jobs=jobs, resume=True)
    assert stats.skipped == 9 and stats.done == 31
    assert folder_bytes(out) == folder_bytes(tmp_path / "straight")


def test_resume_truncates_a_torn_line(many: Path, tmp_path: Path, taxonomy: Taxonomy) -> None:
    run_batch(many, tmp_path / "straight", taxonomy=taxonomy)
    out = tmp_path / "torn"
    with pytest.raises(KeyboardInterrupt):
        run_batch(many, out, taxonomy=taxonomy, on_item=_StopAfter(3))
    with (out / "postings.jsonl").open("a", encoding="utf-8") as handle:
        handle.write('{"schema_version":"1","source":"half a li')
    with (out / "errors.csv").open("a", encoding="utf-8") as handle:
        handle.write("torn,err")
    stats, _ = run_batch(many, out, taxonomy=taxonomy, resume=True)
    assert stats.skipped == 3
    assert folder_bytes(out) == folder_bytes(tmp_path / "straight")


def test_resume_of_a_finished_run_adds_nothing(many: Path, tmp_path: Path, taxonomy) -> None:
    run_batch(many, tmp_path / "out", taxonomy=taxonomy)
    before = folder_bytes(tmp_path / "out")
    stats, _ = run_batch(many, tmp_path / "out", taxonomy=taxonomy, resume=True)
    assert (stats.done, stats.skipped) == (0, 40)
    assert folder_bytes(tmp_path / "out") == before


def test_without_resume_starts_again(many: Path, tmp_path: Path, taxonomy: Taxonomy) -> None:
    run_batch(many, tmp_path / "out", taxonomy=taxonomy)
    before = folder_bytes(tmp_path / "out")
    stats, _ = run_batch(many, tmp_path / "out", taxonomy=taxonomy)
    assert stats.skipped == 0 and folder_bytes(tmp_path / "out") == before


def test_jobs_two_writes_the_same_files(
    many: Path, postings_dir: Path, tmp_path: Path, taxonomy: Taxonomy
) -> None:
    shutil.copy(many, postings_dir / "many.jsonl")
    run_batch(postings_dir, tmp_path / "one", taxonomy=taxonomy, jobs=1)
    run_batch(postings_dir, tmp_path / "two", taxonomy=taxonomy, jobs=2, chunk_size=3)
    assert folder_bytes(tmp_path / "one") == folder_bytes(tmp_path / "two")


# --------------------------------------------------------------------------- library API


def test_analyze_folder_frames(postings_dir: Path, taxonomy: Taxonomy) -> None:
    with analyze_folder(postings_dir, taxonomy=taxonomy) as result:
        out_dir = result.out_dir
        postings, skills = result.postings, result.skills
        assert list(postings.columns) == list(POSTING_COLUMNS) and len(postings) == 8
        assert list(skills.columns) == list(SKILL_COLUMNS)
        assert str(skills["requirement"].dtype) == "category"
        assert str(postings["min_years"].dtype) == "Int64"
        assert set(skills["source"]) <= set(postings["source"])
        assert postings["source"].tolist() == [r["source"] for r in result.records()]
        summary = result.summary()
        assert set(summary) == set(SUMMARY_COLUMNS)
        top = summary["skill_share"]
        assert top["postings"].is_monotonic_decreasing
        python = top.set_index("skill_id").loc["python"]
        assert python["postings"] == (skills["skill_id"] == "python").sum()
        assert result.errors.empty and list(result.errors.columns) == ["source", "reason"]
        assert "postings=8" in repr(result)
    assert not out_dir.exists()


def test_analyze_folder_of_nothing(tmp_path: Path, taxonomy: Taxonomy) -> None:
    (tmp_path / "empty").mkdir()
    result = analyze_folder(tmp_path / "empty", out=tmp_path / "out", taxonomy=taxonomy)
    assert result.postings.empty and list(result.postings.columns) == list(POSTING_COLUMNS)
    assert result.skills.empty and list(result.skills.columns) == list(SKILL_COLUMNS)
    for name, frame in result.summary().items():
        assert list(frame.columns) == list(SUMMARY_COLUMNS[name])
    assert result.stats.exit_status == EXIT_OK
    assert "Skill demand in 0 postings" in (tmp_path / "out" / "report.html").read_text()
    result.close()
    assert (tmp_path / "out").exists()  # a chosen folder is never deleted


def test_analyze_folder_is_exported() -> None:
    import analyzer

    assert analyzer.analyze_folder is analyze_folder
    assert analyzer.BatchResult.__name__ == "BatchResult"


def test_errors_csv_round_trips_neutralised_sources(
    tmp_path: Path, taxonomy: Taxonomy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("=bad.txt").write_text("")
    stats, _ = run_batch("=bad.txt", "out", taxonomy=taxonomy)
    raw = Path("out/errors.csv").read_text(encoding="utf-8")
    assert raw.splitlines() == ["source,reason", "'=bad.txt,empty (no text to analyse)"]
    assert errors(Path("out"))[0]["source"] == "=bad.txt"
    stats, _ = run_batch("=bad.txt", "out", taxonomy=taxonomy, resume=True)
    assert stats.skipped == 1 and Path("out/errors.csv").read_text(encoding="utf-8") == raw


def test_rows_prepared_by_a_worker_write_and_count_what_the_record_does(
    taxonomy: Taxonomy,
) -> None:
    """``--jobs 2`` sends :class:`SummaryRows`; the summary must come out byte for byte."""
    import io

    from analyzer.batch import _record, _Summary, summary_rows
    from analyzer.pipeline import analyze_many

    texts = [
        "=HYPERLINK(1) Engineer\nRequirements: 3+ years of Python, SQL and @AWS; Kafka a plus.",
        "Data Scientist\nNice to have: PyTorch, -LangChain, Polaris, Zephyr9. No Docker needed.",
        "Nothing technical here at all.",
    ]
    records = [_record(a, f"id-{k}") for k, a in enumerate(analyze_many(texts, taxonomy=taxonomy))]
    plain, prepared = [(io.StringIO(), io.StringIO()) for _ in range(2)]
    by_record, by_rows = _Summary(*plain), _Summary(*prepared)
    for record in records:
        by_record.add(record)
        by_rows.add_rows(summary_rows(record))
    assert [s.getvalue() for s in plain] == [s.getvalue() for s in prepared]
    assert "'=HYPERLINK" in plain[0].getvalue()
    assert by_record.tally == by_rows.tally and by_record.tally.postings == 3
    assert by_record.sample == by_rows.sample


def test_jobs_two_forks_no_workers_for_a_single_chunk(
    postings_dir: Path, tmp_path: Path, taxonomy: Taxonomy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parent analyses the first chunk itself; with nothing after it, no pool is made."""
    import analyzer.batch

    def no_fork(_taxonomy: Taxonomy) -> None:
        raise AssertionError("a pool was made for one chunk")

    monkeypatch.setattr(analyzer.batch, "prepare_to_fork", no_fork)
    run_batch(postings_dir, tmp_path / "one", taxonomy=taxonomy, jobs=1)
    run_batch(postings_dir, tmp_path / "two", taxonomy=taxonomy, jobs=2, chunk_size=100)
    assert folder_bytes(tmp_path / "one") == folder_bytes(tmp_path / "two")
    with pytest.raises(AssertionError, match="a pool was made"):
        run_batch(postings_dir, tmp_path / "three", taxonomy=taxonomy, jobs=2, chunk_size=2)
