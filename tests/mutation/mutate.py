"""Mutation testing of implhub's critical modules with cosmic-ray (`make mutate`, `make mutate MODULE=...`).

cosmic-ray rewrites one spot of a module at a time (an operator, a comparison, a constant, a `break`) and
runs the non-browser suite against each mutant; a mutant the suite does not notice "survives" and marks
behaviour that no test pins down. It mutates decorated functions too (`@transaction.atomic` services,
properties), which mutmut 3 skips.

Each module runs in its own scratch copy of the tracked files under `.mutation/` (never in the working
tree, so an interrupted run cannot leave a mutant behind), several modules at once with `--jobs`. Lines
marked `# pragma: no mutate` are skipped: only equivalent mutants, each listed in docs/testing.md.
"""

from __future__ import annotations

import argparse
import ast
import json
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import TestOutcome, WorkerOutcome, WorkResult

ROOT = Path(__file__).resolve().parents[2]
SCRATCH = ROOT / ".mutation"
# Each critical module with the tests that exercise it most directly. Those run first and stop at the
# first failure, so a killed mutant costs a second or two; a mutant they miss then meets the whole
# non-browser suite, so the score is the suite's, not the subset's.
SERVICE_TESTS = (
    "tests/assessments/test_services.py tests/assessments/test_transactions.py "
    "tests/assessments/test_invariants.py"
)
CRITICAL = {
    "assessments/scoring.py": (
        "tests/assessments/test_scoring.py tests/assessments/reports/test_results_pages.py"
    ),
    "assessments/access.py": (
        "tests/assessments/test_access.py tests/assessments/test_people.py "
        "tests/assessments/test_page_access.py"
    ),
    "assessments/services/common.py": SERVICE_TESTS,
    "assessments/services/lifecycle.py": SERVICE_TESTS,
    "assessments/services/voting.py": SERVICE_TESTS,
    "assessments/services/consensus.py": SERVICE_TESTS,
    "assessments/services/teams.py": f"tests/assessments/test_people.py {SERVICE_TESTS}",
    "assessments/services/invitations.py": (
        "tests/assessments/test_invitations.py tests/assessments/test_people.py"
    ),
    "drivers/content_file.py": "tests/drivers",
    "drivers/lineage.py": "tests/drivers/test_lineage.py tests/assessments/reports",
}
PYTEST = "{python} -m pytest -x -q -p no:cacheprovider --nomigrations"
WHOLE_SUITE = "--ignore=tests/e2e tests"
TIMEOUT_SECONDS = 180


def scratch_copy(module: str) -> Path:
    """A fresh copy of the files git tracks (with their uncommitted edits; untracked files stay out, so a
    half-written test cannot fail the baseline), one per module."""
    tree = SCRATCH / module.replace("/", "__").removesuffix(".py")
    shutil.rmtree(tree, ignore_errors=True)
    files = subprocess.run(
        ["git", "ls-files", "--cached"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    for name in files:
        source = ROOT / name
        if source.is_file():
            target = tree / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return tree


def missing_test_paths() -> list[str]:
    """Targeted test paths that no longer exist (a moved test file would make every baseline fail)."""
    return [p for paths in CRITICAL.values() for p in paths.split() if not (ROOT / p).exists()]


def test_command(module: str) -> str:
    pytest = PYTEST.format(python=sys.executable)
    first = CRITICAL.get(module)
    whole = f"{pytest} {WHOLE_SUITE}"
    return f"sh -c '{pytest} {first} && {whole}'" if first else whole


def config(module: str) -> str:
    return "\n".join(
        [
            "[cosmic-ray]",
            f'module-path = "{module}"',
            f"timeout = {TIMEOUT_SECONDS}",
            "excluded-modules = []",
            f'test-command = "{test_command(module)}"',
            "",
            "[cosmic-ray.distributor]",
            'name = "local"',
            "",
        ]
    )


def run(module: str) -> dict:
    tree = scratch_copy(module)
    (tree / "cosmic-ray.toml").write_text(config(module))
    bin_dir = Path(sys.executable).parent

    def step(*args: str) -> None:
        subprocess.run([str(bin_dir / args[0]), *args[1:]], cwd=tree, check=True, capture_output=True)

    step("cosmic-ray", "init", "cosmic-ray.toml", "session.sqlite")
    step("cr-filter-pragma", "session.sqlite")
    skip_annotations(tree / module, tree / "session.sqlite")
    step("cosmic-ray", "baseline", "cosmic-ray.toml")
    step("cosmic-ray", "exec", "cosmic-ray.toml", "session.sqlite")
    return summary(module, tree / "session.sqlite")


def annotation_spans(source: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Where the module's type annotations are, as ((line, col), (end line, end col))."""
    spans = []
    for node in ast.walk(ast.parse(source)):
        annotations = []
        if isinstance(node, ast.arg | ast.AnnAssign) and node.annotation is not None:
            annotations.append(node.annotation)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns is not None:
            annotations.append(node.returns)
        spans += [((a.lineno, a.col_offset), (a.end_lineno, a.end_col_offset)) for a in annotations]
    return spans


def skip_annotations(module: Path, session: Path) -> None:
    """Mutants inside type annotations are equivalent: with `from __future__ import annotations` no
    annotation is ever evaluated, so `int | None` turned into `int - None` changes nothing. Skip them."""
    spans = annotation_spans(module.read_text())
    with use_db(str(session), WorkDB.Mode.open) as db:
        for item in list(db.pending_work_items):
            if all(
                any(start <= (m.start_pos[0], m.start_pos[1]) and m.end_pos <= end for start, end in spans)
                for m in item.mutations
            ):
                db.set_result(
                    item.job_id,
                    WorkResult(output="in a type annotation", worker_outcome=WorkerOutcome.SKIPPED),
                )


def summary(module: str, session: Path) -> dict:
    """Counts and the surviving mutants (where, which operator), read from cosmic-ray's session database."""
    with use_db(str(session), WorkDB.Mode.open) as db:
        done = db.completed_work_items
    tested = [(item, r) for item, r in done if r.worker_outcome != WorkerOutcome.SKIPPED]
    survivors = sorted(
        f"{m.start_pos[0]}:{m.start_pos[1]} {m.operator_name}"
        for item, r in tested
        if r.test_outcome == TestOutcome.SURVIVED
        for m in item.mutations
    )
    return {
        "module": module,
        "mutants": len(tested),
        "killed": len(tested) - len(survivors),
        "skipped": len(done) - len(tested),
        "survivors": survivors,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", default=list(CRITICAL), help="modules to mutate (paths)")
    parser.add_argument("--jobs", type=int, default=2, help="modules run at once (default 2)")
    args = parser.parse_args()
    if missing := missing_test_paths():
        parser.error(f"these test paths of CRITICAL do not exist: {', '.join(missing)}")
    SCRATCH.mkdir(exist_ok=True)
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(run, args.modules))
    (SCRATCH / "latest.json").write_text(json.dumps(results, indent=2))
    print("| module | mutants | killed | survived | score |")
    print("|---|---|---|---|---|")
    for r in results:
        score = 100 * r["killed"] / r["mutants"] if r["mutants"] else 100.0
        print(f"| `{r['module']}` | {r['mutants']} | {r['killed']} | {len(r['survivors'])} | {score:.0f}% |")
    for r in results:
        for survivor in r["survivors"]:
            print(f"survived: {r['module']}:{survivor}")
    print(f"\nEach survivor's diff: cr-report --show-diff --surviving-only {SCRATCH}/<module>/session.sqlite")
    return 0


if __name__ == "__main__":
    sys.exit(main())
