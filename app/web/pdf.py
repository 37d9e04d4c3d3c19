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
        from weasyprint.urls import URLFetcher
    except OSError as exc:  # the library is installed but Pango is not
        raise PdfUnavailable(
            "PDF needs the Pango library: install it (Debian: apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0 fonts-dejavu-core), or print the page from the browser"
        ) from exc
    # Organisations write the sheet template: left to its default fetcher, WeasyPrint would
    # load any URL it names (file:///..., http://10.0.0.1/...) and could even attach the
    # answer to the PDF, reading the server's files and network. Fonts come from the system,
    # so inline data: URLs are all a sheet needs.
    no_fetching = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return HTML(string=html, url_fetcher=no_fetching).write_pdf()
