"""Small git helpers: every call is ``git -C <root> …`` with English output we can read."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .errors import HandbookError

_ENV = {"LANGUAGE": "C", "LC_ALL": "C.UTF-8", "GIT_TERMINAL_PROMPT": "0"}


def run(root: Path, *args: str, check: bool = True, input: str | None = None) -> subprocess.CompletedProcess:
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                                encoding="utf-8", errors="replace", input=input,
                                env={**os.environ, **_ENV}, check=False)
    except FileNotFoundError:
        raise HandbookError("git finns inte installerat på den här datorn",
                            "Installera git; releaser kräver handbokens git-historik.") from None
    if check and result.returncode != 0:
        raise HandbookError(f"git {args[0]} misslyckades: {(result.stderr or result.stdout).strip()}")
    return result


def is_repository(root: Path) -> bool:
    try:
        return run(root, "rev-parse", "--is-inside-work-tree", check=False).stdout.strip() == "true"
    except HandbookError:
        return False


def toplevel(root: Path) -> Path:
    return Path(run(root, "rev-parse", "--show-toplevel").stdout.strip())


def head(root: Path) -> str | None:
    result = run(root, "rev-parse", "--verify", "-q", "HEAD", check=False)
    return result.stdout.strip() or None


def ref_sha(root: Path, ref: str) -> str | None:
    result = run(root, "rev-parse", "--verify", "-q", ref + "^{}", check=False)
    return result.stdout.strip() or None


def branch_sha(root: Path, branch: str) -> str | None:
    return ref_sha(root, f"refs/heads/{branch}")


def tag_exists(root: Path, tag: str) -> bool:
    return run(root, "rev-parse", "--verify", "-q", f"refs/tags/{tag}", check=False).returncode == 0


def commit_adding(root: Path, path: str, text: str) -> str | None:
    """The oldest commit that added ``text`` to ``path`` (``git log -S``), if any."""
    found = run(root, "log", "--format=%H", "--reverse", "-S", text, "--", path, check=False).stdout.split()
    return found[0] if found else None


def tags_at(root: Path, rev: str = "HEAD") -> list[str]:
    return run(root, "tag", "--points-at", rev, check=False).stdout.split()


def status(root: Path) -> list[tuple[str, str]]:
    """(two-letter status, path relative to the repository root) for every change, untracked included."""
    out = run(root, "status", "--porcelain=v1", "-z", "--untracked-files=all").stdout
    entries, items = [], out.split("\0")
    index = 0
    while index < len(items):
        item = items[index]
        index += 1
        if not item:
            continue
        code, path = item[:2], item[3:]
        if code[0] in "RC":
            index += 1  # the original path of a rename follows
        entries.append((code, path))
    return entries


def show(root: Path, rev: str, path: str) -> str | None:
    """A file's text at a revision (None if it is not there)."""
    result = run(root, "show", f"{rev}:{path}", check=False)
    return result.stdout if result.returncode == 0 else None


def commit(root: Path, paths: list[str], message: str) -> str:
    run(root, "add", "--", *paths)
    run(root, "commit", "-q", "-m", message, "--", *paths)
    return head(root) or ""


def create_tag(root: Path, tag: str, message: str) -> None:
    run(root, "tag", "-a", tag, "-m", message)


def delete_tag(root: Path, tag: str) -> None:
    run(root, "tag", "-d", tag, check=False)


def set_branch(root: Path, branch: str, sha: str | None) -> None:
    """Point a branch back at ``sha``, or delete it if it did not exist."""
    ref = f"refs/heads/{branch}"
    if sha is None:
        run(root, "update-ref", "-d", ref, check=False)
    else:
        run(root, "update-ref", ref, sha)


def reset_soft(root: Path, sha: str) -> None:
    run(root, "reset", "-q", "--soft", sha)
    run(root, "reset", "-q")


def common_dir(root: Path) -> Path:
    """The repository's own directory (``.git``), shared by every worktree: never committed."""
    out = run(root, "rev-parse", "--git-common-dir").stdout.strip()
    path = Path(out)
    return path if path.is_absolute() else (Path(root) / path).resolve()


def object_type(root: Path, ref: str) -> str | None:
    result = run(root, "cat-file", "-t", ref, check=False)
    return result.stdout.strip() or None if result.returncode == 0 else None


def tag_message(root: Path, tag: str) -> str:
    """The message of an annotated tag ('' for a lightweight one)."""
    return run(root, "tag", "-l", "--format=%(contents)", tag, check=False).stdout


def is_ancestor(root: Path, ancestor: str, descendant: str) -> bool | None:
    """Whether ``ancestor`` is in the history of ``descendant`` (None: git cannot tell, e.g. a shallow clone)."""
    result = run(root, "merge-base", "--is-ancestor", ancestor, descendant, check=False)
    if result.returncode in (0, 1):
        return result.returncode == 0
    return None


def tree_id(root: Path, rev: str, path: str) -> str | None:
    """The object id of the tree (or blob) at ``rev:path``, None if there is none."""
    result = run(root, "rev-parse", "--verify", "-q", f"{rev}:{path}", check=False)
    return result.stdout.strip() or None


def changed_paths(root: Path, old_tree: str, new_tree: str) -> list[str] | None:
    """The files that differ between two trees (None if git cannot compare them)."""
    result = run(root, "diff-tree", "-r", "--name-only", old_tree, new_tree, check=False)
    return result.stdout.split("\n")[:-1] if result.returncode == 0 else None


def create_tag_forced(root: Path, tag: str, message: str, target: str) -> None:
    run(root, "tag", "-a", "-f", tag, "-m", message, target)
