"""A test corpus with one of each bad input beside copies of the five seed articles, built at test time.

Used by the robustness tests (load_corpus) and the end-to-end runs (run_pipeline). A
50 MB file is a sparse file, so it costs no disk.
"""

from __future__ import annotations

import codecs
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "datasets" / "sources" / "seeds"

ARTICLE = (
    "Moscow, 14 March 2024. The foreign minister said on Thursday that Russia was ready to resume talks "
    "with Kyiv, but only on the basis of the realities on the ground.\n\n"
    "Ukraine's president rejected the offer and said there would be no negotiations under pressure.\n"
)
LATIN = "Le ministre a déclaré à Zürich que les négociations reprendraient « sans conditions ». Ça suffit.\n"
CP1252 = "The envoy said “we are ready” – but only if the ceasefire holds. Talks in Zürich were postponed.\n"
HTML_ARTICLE = f"""<!DOCTYPE html>
<html><head><title>Talks</title><meta property="article:published_time" content="2024-03-14T09:30:00+00:00"></head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/politics">Politics</a></nav>
<article><h1>Minister signals readiness for talks</h1>
<p>{ARTICLE.splitlines()[0]}</p>
<p>{ARTICLE.splitlines()[2]}</p></article>
<footer>Copyright 2024 Example News. Subscribe to our newsletter.</footer>
</body></html>
"""
HTML_STUB = "<!DOCTYPE html><html><body><nav><a href='/'>Home</a> <a href='/login'>Log in</a></nav></body></html>"

# file name -> the reason it must be rejected with
BAD = {
    "empty.txt": "empty",
    "blank.txt": "empty",
    "image.txt": "binary",
    "garbled.txt": "undecodable",
    "menu.html": "html_no_text",
    "huge.txt": "too_large",
    "seed_copy.txt": "duplicate",
    "seed_as_utf16.txt": "duplicate",
}
# file name -> the text it must load as
DECODED = {"latin1.txt": LATIN.strip(), "cp1252.txt": CP1252.strip(), "utf16.txt": ARTICLE.strip()}


def build_corpus(folder: Path) -> Path:
    """The five seeds, three texts in other encodings, an HTML article, and one of each bad input."""
    folder.mkdir(parents=True, exist_ok=True)
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copyfile(seed, folder / seed.name)
    first_seed = min(SEEDS.glob("*.txt"))
    files = {
        "empty.txt": b"",
        "blank.txt": b" \n\t\r\n  \n",
        "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        "garbled.txt": "said “no” ".encode("cp1252") + "Zürich".encode() + bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 20,
        "menu.html": HTML_STUB.encode(),
        "seed_copy.txt": first_seed.read_bytes(),
        "seed_as_utf16.txt": codecs.BOM_UTF16_BE + first_seed.read_text(encoding="utf-8").encode("utf-16-be"),
        "latin1.txt": LATIN.encode("latin-1"),
        "cp1252.txt": CP1252.encode("cp1252"),
        "utf16.txt": codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"),
        "page.html": HTML_ARTICLE.encode(),
    }
    for name, content in files.items():
        (folder / name).write_bytes(content)
    with (folder / "huge.txt").open("wb") as fh:
        fh.truncate(50 * 1000 * 1000)
    return folder
