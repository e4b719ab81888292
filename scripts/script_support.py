"""Shared by the helper scripts: the repository root and atomic writes."""
import os
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def write_atomically(path, text):
    """Writes text under a temporary name beside path, then renames it."""
    with tempfile.NamedTemporaryFile("w", dir=os.path.dirname(path) or ".", delete=False, prefix=".tmp-") as tmp:
        tmp.write(text)
        name = tmp.name
    os.replace(name, path)
