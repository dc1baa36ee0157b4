"""Writes the managers' dashboard of the rep's seven duties (Dashboards app) and its
sample, the spreadsheets shipped in sales_process_mgmt/data/files/.

    .venv/bin/python tools/duty_dashboard.py

Community has no spreadsheet editor: the dashboard is described here and written as
Odoo 18's spreadsheet JSON (version 21, as spreadsheet_dashboard_sale's files). The real
dashboard reads the addon's reports through pivots, a list and a chart, under three
global filters (period, sales team, sales rep); the sample, shown while the database
has no scorecard yet, holds the same layout with fixed figures. Edit here, run, commit
both files.
"""

import json
from datetime import date
from pathlib import Path

FILES = Path(__file__).resolve().parent.parent / "sales_process_mgmt" / "data" / "files"
MODULE = "sales_process_mgmt"

PERIOD, TEAM, REP = (
    "8e3b6f8a-5d0c-4c1e-9d51-7f4a2b6c0d11",
    "8e3b6f8a-5d0c-4c1e-9d51-7f4a2b6c0d12",
    "8e3b6f8a-5d0c-4c1e-9d51-7f4a2b6c0d13",
)
GLOBAL_FILTERS = [
    # the period of the targets: monthly scorecards, a quarter by default (its months)
    {"id": PERIOD, "type": "date", "label": "Period", "rangeType": "fixedPeriod"}
    | {"defaultValue": "this_quarter"},
    {"id": TEAM, "type": "relation", "label": "Sales Team", "modelName": "crm.team"}
    | {"defaultValue": [], "defaultValueDisplayNames": []},
    {"id": REP, "type": "relation", "label": "Sales Rep", "modelName": "res.users"}
    | {"defaultValue": [], "defaultValueDisplayNames": []},
]
# Each report's date (the period's first day, the month invoiced, the opportunity's
# creation), team and rep.
DATE_FIELDS = {
    "spm.rep.scorecard": ("date_from", "date"),
    "spm.rep.score": ("date_from", "date"),
    "spm.collection.report": ("date", "date"),
    "spm.funnel.report": ("date", "datetime"),
}
# The dashboard reads monthly scorecards: a quarter's or a year's own target would
# count a second time beside its months.
MONTHLY = [["period", "=", "month"]]


def field_matching(model, offset=0):
    chain, kind = DATE_FIELDS[model]
    return {
        PERIOD: {"chain": chain, "type": kind, "offset": offset},
        TEAM: {"chain": "team_id", "type": "many2one"},
        REP: {"chain": "user_id", "type": "many2one"},
    }


def measure(name, aggregator=None):
    """A measure: without ``aggregator``, the field's own (the reports recompute their
    ratios from the summed figures for it)."""
    if aggregator:
        return {"id": f"{name}:{aggregator}", "fieldName": name, "aggregator": aggregator}
    return {"id": name, "fieldName": name}


def pivot(pivot_id, name, model, measures, *, rows=(), columns=(), domain=(), **extra):
    return {
        "type": "ODOO",
        "id": pivot_id,
        "formulaId": pivot_id,
        "name": name,
        "model": model,
        "domain": list(domain),
        "context": {},
        "measures": measures,
        "rows": list(rows),
        "columns": list(columns),
        "sortedColumn": None,
        "fieldMatching": field_matching(model, extra.pop("offset", 0)),
        **extra,
    }


PIVOTS = {
    "1": pivot(
        "1",
        "Score by Rep and Month",
        "spm.rep.score",
        [measure("score")],
        rows=[{"fieldName": "user_id"}],
        columns=[{"fieldName": "date_from", "granularity": "month", "order": "asc"}],
        domain=MONTHLY,
        sortedColumn={"groupId": [[], []], "measure": "score", "order": "desc"},
    ),
    "2": pivot("2", "Score - current", "spm.rep.score", [measure("score")], domain=MONTHLY),
    "3": pivot(
        "3", "Score - previous", "spm.rep.score", [measure("score")], domain=MONTHLY, offset=-1
    ),
    "4": pivot(
        "4",
        "Sales Amount - current",
        "spm.rep.scorecard",
        [measure("actual", "sum"), measure("target", "sum")],
        domain=[["duty", "=", "sales"], *MONTHLY],
    ),
    "5": pivot(
        "5",
        "Collection - current",
        "spm.collection.report",
        [measure("collection_rate"), measure("dso_days")],
    ),
    "6": pivot(
        "6",
        "Collection - previous",
        "spm.collection.report",
        [measure("collection_rate"), measure("dso_days")],
        offset=-1,
    ),
    "7": pivot(
        "7",
        "Sales Funnel by Stage",
        "spm.funnel.report",
        [
            measure("lead_count"),
            measure("expected_revenue"),
            measure("conversion_rate"),
            measure("avg_days"),
        ],
        rows=[{"fieldName": "stage_id"}],
    ),
}
LISTS = {
    "1": {
        "id": "1",
        "name": "Rep Ranking",
        "model": "spm.rep.score",
        "columns": ["user_id", "date_from", "score", "rank", "weakest_duty", "weakest_attainment"],
        "domain": MONTHLY,
        "context": {},
        "orderBy": [{"name": "date_from", "asc": False}, {"name": "rank", "asc": True}],
        "fieldMatching": field_matching("spm.rep.score"),
    }
}
CHART_ID = "5b1c7e2a-3f4d-4e8b-9a60-2c8d1e7f0a21"
CHART = {
    "type": "odoo_bar",
    "title": {"text": ""},
    "background": "#FFFFFF",
    "legendPosition": "none",
    "verticalAxisPosition": "left",
    "stacked": False,
    "metaData": {
        "groupBy": ["duty"],
        "measure": "attainment",
        "order": "ASC",
        "resModel": "spm.rep.scorecard",
        "mode": "bar",
    },
    "searchParams": {
        "comparison": None,
        "context": {"group_by": []},
        "domain": MONTHLY,
        "groupBy": ["duty"],
        "orderBy": [],
    },
    "fieldMatching": field_matching("spm.rep.scorecard"),
}

WIDTH = 1050
COLUMNS = {"0": {"size": 250}, **{str(col): {"size": 160} for col in range(1, 6)}}
TITLE, HEADER, BODY, HEADER_RIGHT = "1", "2", "3", "4"
STYLES = {
    TITLE: {"textColor": "#01666b", "bold": True, "fontSize": 16},
    HEADER: {"fontSize": 11, "textColor": "#434343", "bold": True, "verticalAlign": "middle"},
    BODY: {"textColor": "#434343", "verticalAlign": "middle"},
    HEADER_RIGHT: {"fontSize": 11, "textColor": "#434343", "bold": True, "align": "right"}
    | {"verticalAlign": "middle"},
}
ONE_DECIMAL, PERCENT, MONTH = "1", "2", "3"
FORMATS = {ONE_DECIMAL: "0.0", PERCENT: "0.0%", MONTH: "yyyy-mm"}
BORDERS = {"1": {"bottom": {"style": "thin", "color": "#CCCCCC"}}}
ROW_HEIGHT = 23
ROWS_SHOWN = 10


def col(index):
    return "ABCDEFGHIJ"[index]


class Sheet:
    """The cells, sizes, styles and borders of one sheet, row by row."""

    def __init__(self):
        self.cells, self.styles, self.formats, self.borders = {}, {}, {}, {}
        self.rows, self.row = {}, 0
        self.data_bars = []

    def set(self, column, content, style=None, fmt=None):
        ref = f"{col(column)}{self.row + 1}"
        if content is not None:
            self.cells[ref] = {"content": content}
        if style:
            self.styles[ref] = int(style)
        if fmt:
            self.formats[ref] = int(fmt)

    def top(self, row=None):
        """The height, in pixels, above ``row`` (the current one by default)."""
        row = self.row if row is None else row
        return sum(self.rows.get(str(r), {}).get("size", ROW_HEIGHT) for r in range(row))

    def title(self, label, menu):
        self.rows[str(self.row)] = {"size": 40}
        self.set(0, f"[{label}](odoo://ir_menu_xml_id/{MODULE}.{menu})", TITLE)
        self.borders[f"A{self.row + 1}:F{self.row + 1}"] = 1
        self.row += 1

    def header(self, cells):
        self.rows[str(self.row)] = {"size": 29}
        for column, content in enumerate(cells):
            self.set(column, content, HEADER if column == 0 else HEADER_RIGHT)
        self.borders[f"A{self.row + 1}:F{self.row + 1}"] = 1
        self.row += 1

    def body(self, rows, formats=(), bar=None):
        """``rows``: lists of cell contents; ``formats``: per column; ``bar``: the data
        bar drawn in the first column from the values of that column."""
        first = self.row + 1
        for cells in rows:
            self.rows[str(self.row)] = {"size": 28}
            for column, content in enumerate(cells):
                fmt = formats[column] if column < len(formats) else None
                self.set(column, content, BODY, fmt)
            self.row += 1
        if bar:
            last = self.row
            self.data_bars.append((f"A{first}:A{last}", f"{col(bar)}{first}:{col(bar)}{last}"))

    def skip(self, rows=1):
        self.row += rows

    def dump(self, sheet_id, name, figures=(), columns=None):
        return {
            "id": sheet_id,
            "name": name,
            "colNumber": 6,
            "rowNumber": max(self.row + 2, 20),
            "rows": self.rows,
            "cols": columns or {},
            "merges": [],
            "cells": self.cells,
            "styles": self.styles,
            "formats": self.formats,
            "borders": self.borders,
            "conditionalFormats": [
                {
                    "id": f"4a7d2c10-0000-4000-8000-00000000000{index}",
                    "ranges": [ranges],
                    "rule": {"type": "DataBarRule", "color": 15726335, "rangeValues": values},
                }
                for index, (ranges, values) in enumerate(self.data_bars, start=1)
            ],
            "figures": list(figures),
            "tables": [],
            "areGridLinesVisible": False,
            "isVisible": True,
            "headerGroups": {"ROW": [], "COL": []},
            "dataValidationRules": [],
            "comments": {},
        }


def t(text):
    return f'=_t("{text}")'


# The key figures, from the Data sheet's rows 2-5 (value in D, baseline in E): title,
# baseline mode, its description, background, lower is better.
SINCE = "since last period"
KPIS = [
    ("Average Score", "difference", SINCE, "#EFF6FF", False),
    ("Sales Amount", "progress", "of the target", "#EFF6FF", False),
    ("Collection Rate", "difference", SINCE, "#FFF7ED", False),
    ("Collection Period (DSO)", "difference", SINCE, "#FFF7ED", True),
]


def kpi_figures():
    figures = []
    for index, (title, mode, descr, background, lower) in enumerate(KPIS):
        key, base = f"Data!D{index + 2}", f"Data!E{index + 2}"
        up, down = ("#DC6965", "#00A04A") if lower else ("#00A04A", "#DC6965")
        figures.append(
            {
                "id": f"3c9e5b7d-1a2f-4c6e-8b0d-5e7f9a1b2c3{index}",
                "x": index * (WIDTH + 10) // 4,
                "y": 11,
                "width": (WIDTH + 10) // 4 - 10,
                "height": 101,
                "tag": "chart",
                "data": {
                    "type": "scorecard",
                    "title": {"text": title, "bold": True, "color": "#434343"},
                    "background": background,
                    "keyValue": key,
                    "baseline": base,
                    "baselineMode": mode,
                    "baselineDescr": descr,
                    "baselineColorUp": up,
                    "baselineColorDown": down,
                    "humanize": False,
                },
            }
        )
    return figures


def data_sheet(sample=None):
    """The key figures' sheet: current and previous values, and as shown."""
    sheet = Sheet()
    # not shown: its labels stay untranslated
    sheet.body([["KPI", "Current", "Previous", "Current (shown)", "Previous (shown)"]])
    formulas = [
        ("Average score", 'PIVOT.VALUE(2,"score")', 'PIVOT.VALUE(3,"score")', ONE_DECIMAL),
        ("Sales amount", 'PIVOT.VALUE(4,"actual:sum")', 'PIVOT.VALUE(4,"target:sum")', None),
        (
            "Collection rate",
            'PIVOT.VALUE(5,"collection_rate")/100',
            'PIVOT.VALUE(6,"collection_rate")/100',
            PERCENT,
        ),
        (
            "Collection period",
            'PIVOT.VALUE(5,"dso_days")',
            'PIVOT.VALUE(6,"dso_days")',
            ONE_DECIMAL,
        ),
    ]
    for index, (label, current_formula, previous_formula, fmt) in enumerate(formulas):
        row = index + 2
        if sample:
            current, previous = sample[index]
        else:
            current, previous = f"={current_formula}", f"={previous_formula}"
        shown = (
            (f"=B{row}", f"=C{row}")
            if fmt
            else (f"=FORMAT.LARGE.NUMBER(B{row})", f"=FORMAT.LARGE.NUMBER(C{row})")
        )
        sheet.body([[label, str(current), str(previous), *shown]], [None, fmt, fmt, fmt, fmt])
    return sheet


POSITIONS = range(1, ROWS_SHOWN + 1)
# a quarter has three months; fewer have targets before its end
MONTH_HEADERS = [f'=IFERROR(PIVOT.HEADER(1,"#date_from:month",{m}),"")' for m in (1, 2, 3)]


def score_rows():
    """Each rep (best first), the score of each month and the average."""
    return [
        [
            f'=PIVOT.HEADER(1,"#user_id",{row})',
            *(
                f'=PIVOT.VALUE(1,"score","#user_id",{row},"#date_from:month",{m})'
                for m in (1, 2, 3)
            ),
            f'=PIVOT.VALUE(1,"score","#user_id",{row})',
        ]
        for row in POSITIONS
    ]


def ranking_rows():
    return [
        [f'=ODOO.LIST(1,{row},"{field}")' for field in LISTS["1"]["columns"]] for row in POSITIONS
    ]


def funnel_rows():
    measures = ("lead_count", "expected_revenue", "conversion_rate", "avg_days")
    return [
        [
            f'=PIVOT.HEADER(7,"#stage_id",{row})',
            *(f'=PIVOT.VALUE(7,"{name}","#stage_id",{row})' for name in measures),
        ]
        for row in POSITIONS
    ]


def dashboard_sheet(sample=None):
    """The dashboard: the key figures, attainment by duty, score by rep and month, the
    ranking and the funnel. ``sample``: fixed contents instead of formulas."""
    sheet = Sheet()
    sheet.rows.update({str(r): {"size": ROW_HEIGHT} for r in range(5)})
    sheet.skip(5)
    sheet.title("Attainment by Duty", "spm_rep_scorecard_menu")
    chart_top = sheet.top()
    sheet.skip(13)
    chart = {
        "id": CHART_ID,
        "x": 0,
        "y": chart_top,
        "width": WIDTH,
        "height": sheet.top() - chart_top - 10,
        "tag": "chart",
        "data": sample["chart"] if sample else CHART,
    }

    sheet.title("Score by Rep and Month", "spm_rep_score_menu")
    months = sample["months"] if sample else MONTH_HEADERS
    sheet.header([t("Sales Rep"), *months, t("Average")])
    sheet.body(sample["scores"] if sample else score_rows(), [None, *[ONE_DECIMAL] * 4], bar=4)
    sheet.skip()

    sheet.title("Rep Ranking", "spm_rep_score_menu")
    labels = ["Sales Rep", "Month", "Score", "Rank", "Weakest Duty", "Its Attainment (%)"]
    sheet.header([t(label) for label in labels])
    formats = [None, MONTH, ONE_DECIMAL, None, None, ONE_DECIMAL]
    sheet.body(sample["ranking"] if sample else ranking_rows(), formats)
    sheet.skip()

    sheet.title("Sales Funnel", "spm_funnel_report_menu")
    labels = ["Stage", "Opportunities", "Expected Revenue", "Conversion (%)"]
    sheet.header([t(label) for label in [*labels, "Average Days in Stage"]])
    formats = [None, None, None, ONE_DECIMAL, ONE_DECIMAL]
    sheet.body(sample["funnel"] if sample else funnel_rows(), formats, bar=1)
    return sheet, [*kpi_figures(), chart]


def spreadsheet(sample=None):
    dashboard, figures = dashboard_sheet(sample)
    data = data_sheet(sample and sample["kpis"])
    result = {
        "version": 21,
        "sheets": [
            dashboard.dump("sheet1", "Dashboard", figures, COLUMNS),
            data.dump("0d5f1a2b-7c3e-4b9d-8e6f-1a2b3c4d5e6f", "Data", columns={"0": {"size": 200}}),
        ],
        "styles": STYLES,
        "formats": FORMATS,
        "borders": BORDERS,
        "revisionId": "START_REVISION",
        "uniqueFigureIds": True,
        "settings": {
            "locale": {
                "name": "English (US)",
                "code": "en_US",
                "thousandsSeparator": ",",
                "decimalSeparator": ".",
                "dateFormat": "mm/dd/yyyy",
                "timeFormat": "hh:mm:ss",
                "formulaArgSeparator": ",",
                "weekStart": 7,
            }
        },
        "customTableStyles": {},
        "odooVersion": 12,
        "pivots": {} if sample else PIVOTS,
        "pivotNextId": len(PIVOTS) + 1,
        "lists": {} if sample else LISTS,
        "listNextId": len(LISTS) + 1,
        "globalFilters": [] if sample else GLOBAL_FILTERS,
        "chartOdooMenusReferences": {}
        if sample
        else {CHART_ID: f"{MODULE}.spm_rep_scorecard_menu"},
    }
    return result


DUTY_ATTAINMENT = [
    ("Sales Amount", 86.0),
    ("Collection Period (DSO)", 72.5),
    ("Collection Rate", 64.0),
    ("Profit Margin", 91.0),
    ("Sales Funnel (Won Revenue)", 58.0),
    ("New Market Development", 75.0),
    ("Customer Satisfaction", 88.0),
]
# name, score of the three months, weakest duty (last month) and its attainment
SAMPLE_REPS = [
    ("刘洋", (84.1, 85.0, 88.2), "New Market Development", 66.7),
    ("王磊", (76.0, 78.4, 82.1), "Collection Rate", 52.0),
    ("张伟", (72.5, 69.8, 80.4), "Sales Funnel (Won Revenue)", 40.0),
    ("李娜", (70.2, 71.2, 74.6), "Sales Amount", 61.5),
    ("陈静", (58.8, 60.3, 65.9), "Collection Period (DSO)", 48.9),
]
SAMPLE_MONTHS = ["2026-10", "2026-11", "2026-12"]
# the last month's first day, as a spreadsheet date (days since 1899-12-30)
SAMPLE_LAST_MONTH = (date(2026, 12, 1) - date(1899, 12, 30)).days
SAMPLE_STAGES = [
    ("New", 42, 1260000, 71.4, 6.2),
    ("Qualified", 30, 980000, 63.3, 9.8),
    ("Proposition", 19, 720000, 57.9, 12.4),
    ("Won", 11, 455000, 0.0, 0.0),
]


def sample_contents():
    """The sample's fixed figures, in the dashboard's layout."""
    attainment_rows = [[t(duty), str(value)] for duty, value in DUTY_ATTAINMENT]
    ranked = sorted(SAMPLE_REPS, key=lambda rep: -rep[1][-1])
    return {
        "kpis": [(75.6, 72.3), (1850000, 2000000), (0.812, 0.786), (38.5, 41.2)],
        "months": SAMPLE_MONTHS,
        "scores": [
            [name, *map(str, scores), str(round(sum(scores) / len(scores), 1))]
            for name, scores, *__ in SAMPLE_REPS
        ],
        "ranking": [
            [name, str(SAMPLE_LAST_MONTH), str(scores[-1]), str(rank), t(weakest), str(value)]
            for rank, (name, scores, weakest, value) in enumerate(ranked, start=1)
        ],
        "funnel": [
            [t(stage), str(count), str(value), str(conversion), str(days)]
            for stage, count, value, conversion, days in SAMPLE_STAGES
        ],
        "chart": {
            "type": "bar",
            "title": {"text": ""},
            "background": "#FFFFFF",
            "legendPosition": "none",
            "dataSets": [{"dataRange": "Data!B8:B14", "yAxisId": "y"}],
            "dataSetsHaveTitle": False,
            "labelRange": "Data!A8:A14",
            "aggregated": False,
            "stacked": False,
        },
        "attainment": attainment_rows,
    }


def main():
    FILES.mkdir(parents=True, exist_ok=True)
    (FILES / "spm_duty_dashboard.json").write_text(
        json.dumps(spreadsheet(), indent=4, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    sample = sample_contents()
    result = spreadsheet(sample)
    data = result["sheets"][1]
    for offset, (label, value) in enumerate(sample["attainment"]):
        data["cells"][f"A{8 + offset}"] = {"content": label}
        data["cells"][f"B{8 + offset}"] = {"content": value}
    (FILES / "spm_duty_sample_dashboard.json").write_text(
        json.dumps(result, indent=4, ensure_ascii=False) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
