"""An XLSX file written as its rows are read, sent while it is written.

openpyxl (even write-only, and without lxml here) wrote about 4,500 rows/s and had to finish the whole file
in a temporary file before the first byte left, so a large export could meet a proxy's timeout with nothing
sent. An XLSX is a zip of XML parts; `zipfile` can write to a stream it cannot seek (it then puts each
part's sizes after its data), so each piece of compressed XML is sent as soon as it exists, in constant
memory. Only what the exports use is written: text as inline strings (never formulas), numbers, dates with
a yyyy-mm-dd format, column widths, a frozen header row and an autofilter over the whole table.
"""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import quoteattr

from openpyxl.utils import get_column_letter

ROWS_PER_PIECE = 500  # rows of XML handed to the compressor at once
EPOCH = datetime.date(1899, 12, 30)  # a spreadsheet's day 0: dates are days since then
# XML has no way to write these control characters (openpyxl refused them too): they are dropped.
_TEXT = {0x26: "&amp;", 0x3C: "&lt;", 0x3E: "&gt;"} | dict.fromkeys((*range(0, 9), 11, 12, *range(14, 32)))
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_STYLES = (
    f'{_HEAD}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


class _Pipe:
    """A file that `zipfile` writes to and the response reads from: bytes wait here only until sent."""

    def __init__(self):
        self.pieces: list[bytes] = []

    def write(self, data) -> int:
        self.pieces.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.pieces)
        self.pieces.clear()
        return data


def workbook(sheets: Iterable[tuple[str, list[float], Iterable[tuple]]]) -> Iterator[bytes]:
    """The bytes of an XLSX of (title, column widths, rows) sheets, the first row of each its header."""
    sheets = list(sheets)
    pipe = _Pipe()
    filters = []
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _content_types(len(sheets)))
        archive.writestr(
            "_rels/.rels",
            f'{_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        archive.writestr("xl/styles.xml", _STYLES)
        for n, (_title, widths, rows) in enumerate(sheets, 1):
            with archive.open(f"xl/worksheets/sheet{n}.xml", "w") as part:
                for xml in _sheet(widths, rows, filters):
                    part.write(xml.encode())
                    yield pipe.take()
        archive.writestr("xl/workbook.xml", _workbook([title for title, _w, _r in sheets], filters))
        archive.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
    yield pipe.take()


def _sheet(widths: list[float], rows: Iterable[tuple], filters: list[str]) -> Iterator[str]:
    letters = [get_column_letter(n) for n in range(1, len(widths) + 1)]
    cols = "".join(
        f'<col min="{n}" max="{n}" width="{width}" customWidth="1"/>' for n, width in enumerate(widths, 1)
    )
    yield (
        f'{_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        f"<cols>{cols}</cols><sheetData>"
    )
    piece = []
    number = 0
    for number, row in enumerate(rows, 1):
        cells = "".join(
            _cell(f"{letter}{number}", value) for letter, value in zip(letters, row, strict=False)
        )
        piece.append(f'<row r="{number}">{cells}</row>')
        if len(piece) == ROWS_PER_PIECE:
            yield "".join(piece)
            piece.clear()
    table = f"A1:{letters[-1]}{max(number, 1)}"
    filters.append(f"${letters[0]}$1:${letters[-1]}${max(number, 1)}")
    yield "".join(piece) + f'</sheetData><autoFilter ref="{table}"/></worksheet>'


def _cell(ref: str, value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        # An inline string is text whatever it starts with: a spreadsheet never runs it as a formula.
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{value.translate(_TEXT)}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return f'<c r="{ref}" s="1"><v>{(value - EPOCH).days}</v></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def _content_types(count: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, count + 1)
    )
    return (
        f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{sheets}</Types>"
    )


def _workbook(titles: list[str], filters: list[str]) -> str:
    sheets = "".join(
        f'<sheet name={quoteattr(title[:31])} sheetId="{n}" r:id="rId{n}"/>'
        for n, title in enumerate(titles, 1)
    )
    # The autofilter's range as Excel itself names it, so that Excel shows the filter buttons as its own.
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
        f"'{title[:31].replace(chr(39), chr(39) * 2)}'!{ref}</definedName>".replace("&", "&amp;").replace(
            "<", "&lt;"
        )
        for n, (title, ref) in enumerate(zip(titles, filters, strict=True))
    )
    return (
        f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheets>{sheets}</sheets>'
        f"<definedNames>{names}</definedNames></workbook>"
    )


def _workbook_rels(count: int) -> str:
    sheets = "".join(
        f'<Relationship Id="rId{n}" Type="{_RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, count + 1)
    )
    return (
        f'{_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'{sheets}<Relationship Id="rId{count + 1}" Type="{_RELS}/styles" Target="styles.xml"/>'
        "</Relationships>"
    )
