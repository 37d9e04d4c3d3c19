"""HTML to PDF with WeasyPrint, a real renderer that embeds the fonts it uses."""

from app.errors import AppError


class PdfUnavailable(AppError):
    status_code = 503
    title = "PDF unavailable"


def sheet_pdf(html: str) -> bytes:
    """Returns the PDF of a standalone HTML document."""
    try:
        # Imported here: WeasyPrint needs the system's Pango libraries, and only PDFs need it.
        from weasyprint import HTML
    except OSError as exc:  # the library is installed but Pango is not
        raise PdfUnavailable(
            "PDF needs the Pango library: install it (Debian: apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0 fonts-dejavu-core), or print the page from the browser"
        ) from exc
    return HTML(string=html).write_pdf()
