"""The tiny demo attachments are valid files."""

import io

from PIL import Image

from apps.devtools.demo.files import tiny_pdf, tiny_png


def test_tiny_pdf_has_a_correct_cross_reference_table():
    pdf = tiny_pdf()
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    startxref = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert pdf[startxref:].startswith(b"xref")
    offsets = [int(line[:10]) for line in pdf[startxref:].split(b"\n")[3:8]]
    for number, offset in enumerate(offsets, start=1):
        assert pdf[offset:].startswith(b"%d 0 obj" % number)


def test_tiny_png_decodes():
    image = Image.open(io.BytesIO(tiny_png(4, 3)))
    image.load()
    assert image.size == (4, 3)
