"""A bare folder of texts as a corpus, for when nobody has written a manifest yet.

Someone with a folder of articles should be able to run Parley on it without first
describing each file. The folder becomes the same Manifest model a hand-written
manifest gives (one glob entry over its files), so reading, rejecting and loading do
not have a second code path. What a manifest would say is unknown: the outlet is
"unknown", each doc id is its file's stem, and the publication date comes from the
text when stated there, else the document says it is unknown (published_basis).
"""

from __future__ import annotations

from pathlib import Path

from etl.manifest import Manifest, load_manifest

MANIFEST_NAME = "manifest.yaml"
FOLDER_OUTLET = "unknown"
# Every visible file in the folder itself; hidden files (.DS_Store, editor swap files)
# are not articles, and subfolders are not read.
_FILES = "[!.]*"


def manifest_from_folder(folder: Path) -> Manifest:
    """The folder's own manifest.yaml when it has one, else a manifest with one source per visible file."""
    folder = Path(folder)
    if (folder / MANIFEST_NAME).is_file():
        return load_manifest(folder / MANIFEST_NAME)
    manifest = Manifest.model_validate(
        {
            "version": 1,
            "sources": [
                {
                    "id": "folder",
                    "glob": _FILES,
                    "id_from": "stem",
                    "outlet": FOLDER_OUTLET,
                    "notes": f"read from the folder {folder} without a manifest",
                }
            ],
        },
        context={"folder": folder},
    )
    return manifest.located(folder, folder)
