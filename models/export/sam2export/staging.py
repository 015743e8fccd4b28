"""The pack is built in `<out>.partial-<pid>/` and only renamed to `<out>` when every check passed.
The exporter writes nothing else: an existing non-empty --out is replaced only with --force, and
a crash removes the staging folder it created (torch-free)."""

import contextlib
import os
import shutil


def out_problem(out, force):
    """Why --out cannot be used (None when it can): a file, or a non-empty folder without --force."""
    if not os.path.lexists(out):
        parent = os.path.dirname(out) or "."
        return None if os.path.isdir(parent) else f"its parent folder {parent} does not exist"
    if not os.path.isdir(out) or os.path.islink(out):
        return "exists and is not a folder"
    if os.listdir(out) and not force:
        return "already exists and is not empty (use --force to replace it)"
    return None


@contextlib.contextmanager
def staging_folder(out):
    """Yields a fresh `<out>.partial-<pid>` folder; removes it if the body raises (a crash or ^C)."""
    work = f"{out}.partial-{os.getpid()}"
    if os.path.lexists(work):
        raise FileExistsError(f"{work} exists already (another export with this process id?); remove it first")
    os.makedirs(work)
    try:
        yield work
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        print(f"export stopped; removed its staging folder {work}")
        raise


def install(work, out):
    """Moves the checked pack into place; an existing (empty or --force) --out is replaced."""
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.replace(work, out)


def keep_failed(work, out):
    """A pack that failed a check goes to `<out>.failed` for inspection; returns that path."""
    failed = f"{out}.failed"
    if os.path.isdir(failed):
        shutil.rmtree(failed)
    os.replace(work, failed)
    return failed
