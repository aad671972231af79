"""The printed report fits A4 and Letter paper: every column and the chart inside the page, each driver's
heading on the same page as its table.

The report is opened as a person would before printing (on a desktop screen, the chart drawn there), then
laid out for print at the paper's text width (the page less the 15 mm margins of `@page` in
implhub.css). Printing runs no script in every browser, and none when a PDF is made, so plotly's own
resize handler is taken away first: only CSS may fit the chart to the paper.
"""

import re
import shutil
import subprocess

import pytest

from tests.e2e.conftest import DESKTOP, axe_check, login

pytestmark = pytest.mark.e2e

PAPER_MM = {"A4": (210, 297), "Letter": (215.9, 279.4)}
MARGIN_MM = 15  # @page { margin: 15mm } in static/css/implhub.css


def px(mm: float) -> int:
    return round(mm / 25.4 * 96)


LAYOUT = """(width) => {
  const outside = [];
  for (const el of document.querySelectorAll('main th, main td, main .chart svg.main-svg')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 0.5) {
      const text = el.textContent.trim().slice(0, 30);
      outside.push(`${el.tagName.toLowerCase()} "${text}" ends at ${box.right}px`);
    }
  }
  const svg = document.querySelector('#driver-profile svg.main-svg');
  const headings = [...document.querySelectorAll('.report-driver h3')].map(h => {
    const next = h.nextElementSibling;
    const table = next && next.querySelector('table.driver-items');
    return {
      heading: h.textContent.trim(),
      tableNext: !!table,
      gap: table ? Math.round(next.getBoundingClientRect().top - h.getBoundingClientRect().bottom) : null,
      breakAfter: getComputedStyle(h).breakAfter,
      rowsKeptWhole: table ? [...table.rows].every(r => getComputedStyle(r).breakInside === 'avoid') : false,
    };
  });
  return {
    scrollWidth: document.documentElement.scrollWidth,
    outside: outside.slice(0, 5),
    chart: {drawnWidth: Number(svg.getAttribute('width')), shownWidth: svg.getBoundingClientRect().width},
    headings,
  };
}"""


def open_report_for_print(demo, new_context, paper: str):
    page = new_context(viewport=DESKTOP).new_page()
    login(page, "facilitator", demo.password)
    page.goto(f"/assessments/{demo.completed.pk}/report/")
    page.wait_for_function(
        "() => document.querySelector('#driver-profile').style.getPropertyValue('--chart-aspect') !== ''"
    )
    page.evaluate(
        "document.querySelectorAll('[data-chart]').forEach("
        "c => window.removeEventListener('resize', c._responsiveChartHandler))"
    )
    width, height = PAPER_MM[paper]
    page.emulate_media(media="print")
    page.set_viewport_size({"width": px(width - 2 * MARGIN_MM), "height": px(height - 2 * MARGIN_MM)})
    return page


@pytest.mark.parametrize("paper", PAPER_MM)
def test_the_printed_report_keeps_every_column_and_the_chart_inside_the_page(demo, new_context, paper):
    page = open_report_for_print(demo, new_context, paper)
    width = page.viewport_size["width"]
    found = page.evaluate(LAYOUT, width)

    assert found["scrollWidth"] <= width, found
    assert not found["outside"], f"cut off on {paper}: {found['outside']}"
    # Drawn wider than the paper on screen, shown at the paper's width: scaled by CSS, not redrawn.
    assert found["chart"]["drawnWidth"] > width
    assert found["chart"]["shownWidth"] <= width
    assert len(found["headings"]) == 7  # every driver of the framework
    for heading in found["headings"]:
        assert heading["tableNext"], heading
        assert heading["gap"] < 20, heading  # nothing between the heading and its table
        assert heading["breakAfter"] == "avoid", heading
        assert heading["rowsKeptWhole"], heading
    axe_check(page, f"report-print-{paper}")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs pdftotext (Debian's poppler-utils)")
@pytest.mark.parametrize("paper", PAPER_MM)
def test_the_report_as_a_pdf_has_each_driver_heading_on_the_page_of_its_table(
    demo, new_context, paper, tmp_path
):
    page = open_report_for_print(demo, new_context, paper)
    pdf = tmp_path / "report.pdf"
    page.pdf(path=pdf, format=paper, print_background=True)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    for heading in page.locator(".report-driver h3").all_inner_texts():
        name = heading.split(" · ")[0]
        (on,) = [n for n, p in enumerate(pages) if heading in p]
        after = pages[on][pages[on].index(heading) :]
        # The heading's page goes on with its table: the caption, the column names and a first item.
        assert f"{name}: each item's consensus answer" in after, (paper, heading)
        assert re.search(r"Item\s+Best practice and evidence\s+Consensus\s+Votes\s+Previous\s+Change", after)
        assert re.search(r"\n\s*[A-Z]+-1\s", after), (paper, heading)
    # Every page with items names all six columns (the header repeats, nothing is cut at the right).
    for number, text_of_page in enumerate(pages, 1):
        if re.search(r"\n\s*[A-Z]+-\d+\s", text_of_page):
            assert re.search(r"Consensus\s+Votes\s+Previous\s+Change", text_of_page), (paper, number)
