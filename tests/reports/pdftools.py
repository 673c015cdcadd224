"""Helpers that read a PDF the way a person would check it: its text, its fonts, and a picture."""

import subprocess
import tempfile
from pathlib import Path


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def pdf_fonts(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        return subprocess.run(["pdffonts", file.name], capture_output=True, check=True, text=True).stdout


def render_page_gray(data: bytes, page: int = 1, dpi: int = 50) -> tuple[int, int, bytes]:
    """Page `page` as 8-bit grey pixels (width, height, bytes) via pdftoppm's PGM output."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "r.pdf"
        source.write_bytes(data)
        subprocess.run(
            [
                "pdftoppm",
                "-gray",
                "-r",
                str(dpi),
                "-f",
                str(page),
                "-l",
                str(page),
                str(source),
                f"{folder}/p",
            ],
            check=True,
        )
        (image,) = Path(folder).glob("p*.pgm")
        return parse_pgm(image.read_bytes())


def parse_pgm(raw: bytes) -> tuple[int, int, bytes]:
    """A binary PGM (P5): magic, width, height, maxval, then one byte per pixel."""
    fields = []
    position = 0
    while len(fields) < 4:
        while raw[position : position + 1].isspace():
            position += 1
        if raw[position : position + 1] == b"#":
            position = raw.index(b"\n", position) + 1
            continue
        end = position
        while not raw[end : end + 1].isspace():
            end += 1
        fields.append(raw[position:end])
        position = end
    assert fields[0] == b"P5", fields[0]
    width, height = int(fields[1]), int(fields[2])
    pixels = raw[position + 1 : position + 1 + width * height]
    return width, height, pixels


def dark_fraction(width: int, pixels: bytes, top: int, bottom: int, threshold: int = 128) -> float:
    region = pixels[top * width : bottom * width]
    return sum(1 for value in region if value < threshold) / max(len(region), 1)
