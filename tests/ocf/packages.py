"""Test packages edited by hand: the manifest's md5 of each file made the file's again, so
a test reaches the fault it plants rather than the digest that no longer matches."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path


def with_md5s(folder: Path) -> Path:
    """Set each file entry's md5 in ``folder``'s manifest to its file's digest."""
    manifest_path = folder / "Manifest.ocf.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for key, entries in manifest.items():
        if key.endswith("_files"):
            for entry in entries:
                path = folder / entry["filepath"]
                if path.is_file():
                    entry["md5"] = hashlib.md5(path.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return folder
