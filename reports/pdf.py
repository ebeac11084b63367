"""HTML to PDF with WeasyPrint, offline.

The stylesheet is read from the app's own static folder and every URL fetch is refused,
so a report renders the same on a closed akimat network (charts are inline SVG).
"""

from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML

STYLESHEET = "reports/report.css"


@cache
def _stylesheet() -> CSS:
    return CSS(string=Path(finders.find(STYLESHEET)).read_text(encoding="utf-8"))


def _refuse(url: str, *args, **kwargs):
    raise ValueError(f"Not fetching {url}: reports are rendered from local files only.")


def html_to_pdf(html: str) -> bytes:
    return HTML(string=html, url_fetcher=_refuse).write_pdf(stylesheets=[_stylesheet()])
