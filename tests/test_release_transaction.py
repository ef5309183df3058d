"""approve is a transaction: stopped by a signal it leaves nothing behind; killed, it can be finished or undone.

The approvals run as real processes (``handbok release approve`` in a
subprocess). ``HANDBOK_TEST_STOPP`` makes the process wait at a named step,
where the test sends it SIGTERM or SIGKILL, as a cancelled CI job or a power
cut would. Before this, a killed approve left the routines and the register
edited (or committed and tagged but not published), every retry was refused,
no command could finish or undo it, and 'handbok check' said nothing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from release_helpers import (TODAY, approve_first_release, commit_all, copy_repo, edit, git, handbok, make_repo,
                             squash, state, versions)

APPROVE_2 = ["release", "approve", "2026.2", "--organ", "Socialnämnden", "--datum", "2026-09-17",
             "--referens", "SN 2026-09-17 § 112", "--galler-fran", "2026-10-01", "--idag", TODAY]


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """2026.1 approved and published; a revision committed and its beslutsunderlag for 2026.2 prepared."""
    repo = approve_first_release(make_repo("release-grund", tmp_path_factory.mktemp("transaktion")))
    path = repo / "routines/anvisning.md"
    edit(path, 'version: "1.0"', 'version: "1.1"')
    edit(path, "3. Enhetschefen fattar beslut om anvisning.", "3. Enhetschefen fattar beslut om anvisning inom en vecka.")
    commit_all(repo, "Revidering")
    result = handbok(repo, "release", "prepare", "2026.2", "--utan-pdf", "--organ", "Socialnämnden", "--idag", TODAY)
    assert result.exit_code == 0, result.output
    return repo


@pytest.fixture
def repo(prepared, tmp_path):
    return copy_repo(prepared, tmp_path / "kopia")


def start(repo, step, tmp_path, *args):
    """An approve in its own process, waiting at ``step``."""
    marker = tmp_path / f"stopp-{step}"
    env = {**os.environ, "HANDBOK_TEST_STOPP": step, "HANDBOK_TEST_STOPP_FIL": str(marker)}
    process = subprocess.Popen([sys.executable, "-c", "from handbok.cli import main; main()", "--rot", str(repo),
                                *(args or APPROVE_2)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    deadline = time.monotonic() + 300
    while not marker.exists():
        if process.poll() is not None:
            raise AssertionError(f"approve ended before {step}: {process.communicate()}")
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"approve never reached {step}")
        time.sleep(0.05)
    assert int(marker.read_text()) == process.pid
    return process


def journal(repo):
    return repo / ".git" / "handbok-approve.json"


def check(repo):
    result = handbok(repo, "check", "--datum", TODAY)
    return result.exit_code, squash(result.output)


@pytest.mark.parametrize("step", ["register", "tagg", "publicering"])
def test_sigterm_at_any_step_leaves_nothing_behind(repo, tmp_path, step):
    before = state(repo)
    process = start(repo, step, tmp_path)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 1, (out, err)
    assert "fel: fastställelsen av version 2026.2 avbröts (SIGTERM); ingenting har ändrats" in squash(err)
    assert "Traceback" not in err
    assert state(repo) == before
    assert not journal(repo).exists()
    # Nothing stands in the way of doing it again.
    result = handbok(repo, *APPROVE_2)
    assert result.exit_code == 0, result.output
    assert [v["version"] for v in versions(repo)] == ["2026.2", "2026.1"]


def test_sigkill_before_the_commit_is_reported_and_can_be_undone(repo, tmp_path):
    before = state(repo)
    process = start(repo, "register", tmp_path)
    process.kill()
    process.wait()
    # What a power cut leaves: the routine and the register edited, not committed.
    assert "routines/register/releaser.yml" in git(repo, "status", "--porcelain")
    code, output = check(repo)
    assert code == 1
    assert ("routines/register/releaser.yml:1:1: fel RH804 fastställelsen av version 2026.2 avbröts halvvägs (vid "
            "steget 'register'") in output
    assert "handbok release approve 2026.2 --fortsatt" in output
    # A retry says what happened and what to do, instead of a misleading refusal.
    retry = handbok(repo, *APPROVE_2)
    assert retry.exit_code == 1
    assert ("fel: fastställelsen av version 2026.2 avbröts halvvägs (vid steget 'register') och måste slutföras "
            "eller ångras först") in squash(retry.stderr)
    assert handbok(repo, "release", "prepare", "2026.2", "--utan-pdf", "--idag", TODAY).exit_code == 1
    assert handbok(repo, "release", "verifiera").exit_code == 1

    undone = handbok(repo, "release", "approve", "2026.2", "--angra")
    assert undone.exit_code == 0, undone.output
    assert "Den avbrutna fastställelsen av version 2026.2 är ångrad (den hade kommit till steget 'register')" in \
        squash(undone.output)
    assert state(repo) == before
    assert not journal(repo).exists()
    assert "RH804" not in check(repo)[1]
    assert handbok(repo, *APPROVE_2).exit_code == 0


def test_sigkill_after_the_tag_is_finished_by_fortsatt(repo, tmp_path):
    head = git(repo, "rev-parse", "HEAD").strip()
    process = start(repo, "tagg", tmp_path)
    process.kill()
    process.wait()
    # Committed and tagged, not published.
    assert git(repo, "rev-parse", "HEAD~1").strip() == head
    assert git(repo, "tag", "-l", "v2026.2").strip() == "v2026.2"
    assert [v["version"] for v in versions(repo)] == ["2026.1"]
    assert "fel RH804" in check(repo)[1]

    # --fortsatt takes no new decision: the journal has it.
    assert handbok(repo, "release", "approve", "2026.2", "--fortsatt", "--organ", "X").exit_code == 2
    assert handbok(repo, "release", "approve", "2026.3", "--fortsatt").exit_code == 2
    result = handbok(repo, "release", "approve", "2026.2", "--fortsatt")
    assert result.exit_code == 0, result.output
    assert "Version 2026.2 är fastställd av Socialnämnden 2026-09-17 (SN 2026-09-17 § 112)." in result.output
    # One release commit on top of the revision, tagged, published; nothing left over.
    assert git(repo, "rev-parse", "HEAD~1").strip() == head
    assert git(repo, "rev-parse", "v2026.2^{commit}").strip() == git(repo, "rev-parse", "HEAD").strip()
    assert [v["version"] for v in versions(repo)] == ["2026.2", "2026.1"]
    assert git(repo, "status", "--porcelain") == ""
    assert not journal(repo).exists()
    code, output = check(repo)
    assert "RH8" not in output, output
    assert handbok(repo, "release", "verifiera").exit_code == 0


def test_undo_without_a_half_finished_approval_is_refused(repo):
    result = handbok(repo, "release", "approve", "2026.2", "--angra")
    assert result.exit_code == 1
    assert "fel: det finns ingen avbruten fastställelse av version 2026.2" in result.stderr


def test_a_second_approval_at_the_same_time_is_refused_with_the_first_ones_pid(repo, tmp_path):
    before = state(repo)
    first = start(repo, "rutiner", tmp_path)
    second = handbok(repo, *APPROVE_2)
    assert second.exit_code == 1
    assert f"fel: en annan fastställelse pågår (pid {first.pid}) i det här förrådet" in squash(second.stderr)
    assert handbok(repo, "release", "aktivera", "2026.1", "--idag", TODAY).exit_code == 1
    first.send_signal(signal.SIGTERM)
    first.communicate(timeout=120)
    assert state(repo) == before
