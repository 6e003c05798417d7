"""Telling files and pages that are no text at all (PDFs, pictures, archives, executables)
from text, by their first bytes, so that no such document is read as an article."""

from __future__ import annotations

# Signatures at the very start of a document, and what to call it. Ones that are ordinary words
# ("ID3", "OggS") are left to the control-byte test, which such files fail anyway.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x00\x00\x01\x00", "an icon"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x28\xb5\x2f\xfd", "a zstd archive"),
    (b"\x7fELF", "a program (ELF)"),
    (b"\xca\xfe\xba\xbe", "a program (Mach-O or Java class)"),
    (b"\xcf\xfa\xed\xfe", "a program (Mach-O)"),
    (b"\x00asm", "a WebAssembly module"),
    (b"\x1aE\xdf\xa3", "a Matroska or WebM video"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"),
)
_RIFF = {b"WEBP": "a WebP image", b"WAVE": "a WAV audio file", b"AVI ": "an AVI video"}
_UTF_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def binary_kind(data: bytes) -> str | None:
    """What a document is when it is not text ("a PDF document", "a PNG image", or "binary
    data" for control bytes where text has none), else None. Looks at its first 4 KB only."""
    head = data[:4096]
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    if head.startswith(b"RIFF") and head[8:12] in _RIFF:
        return _RIFF[head[8:12]]
    if head[4:8] == b"ftyp":
        return "an MP4 video or HEIC image"
    if head.startswith(_UTF_BOMS):
        return None  # UTF-16 text holds NUL bytes; its BOM says it is text
    if len(head) >= 2 and (head[0] == 0) != (head[1] == 0) and b"<" in head[:4]:
        return None  # UTF-16 markup without a BOM ("<\x00h\x00...")
    controls = sum(1 for b in head if b < 0x20 and b not in (9, 10, 12, 13, 27))
    if b"\x00" in head or controls > len(head) // 20:
        return "binary data"
    return None
