import json
from datetime import datetime
from itertools import combinations

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import file_open
from odoo.tools.translate import code_translations, extract_spreadsheet_terms

from .common_scorecard import NOVEMBER, SpmScorecardCommon

FILES = "sales_process_mgmt/data/files"
DASHBOARD = f"{FILES}/spm_duty_dashboard.json"
SAMPLE = f"{FILES}/spm_duty_sample_dashboard.json"


def _load(path):
    with file_open(path) as file:
        return json.load(file)


def _data_sources(data):
    """Each pivot, list and chart of the spreadsheet as (what, model, domain, measures,
    group-bys, other fields read, field matchings): measures as (field, aggregator or
    None), group-bys as the pivot and graph views send them (``date_from:month``)."""
    for pivot_id, pivot in data["pivots"].items():
        dimensions = [
            (
                f"{dim['fieldName']}:{dim['granularity']}"
                if dim.get("granularity")
                else dim["fieldName"]
            )
            for dim in pivot["rows"] + pivot["columns"]
        ]
        measures = [(m["fieldName"], m.get("aggregator")) for m in pivot["measures"]]
        yield (
            f"pivot {pivot_id}",
            pivot["model"],
            pivot["domain"],
            measures,
            dimensions,
            [],
            pivot["fieldMatching"],
        )
    for list_id, sheet_list in data["lists"].items():
        read = sheet_list["columns"] + [order["name"] for order in sheet_list["orderBy"]]
        yield (
            f"list {list_id}",
            sheet_list["model"],
            sheet_list["domain"],
            [],
            [],
            read,
            sheet_list["fieldMatching"],
        )
    for sheet in data["sheets"]:
        for figure in sheet["figures"]:
            chart = figure["data"]
            if figure["tag"] == "chart" and chart["type"].startswith("odoo_"):
                yield (
                    f"chart {figure['id']}",
                    chart["metaData"]["resModel"],
                    chart["searchParams"]["domain"],
                    [(chart["metaData"]["measure"], None)],
                    chart["metaData"]["groupBy"],
                    [],
                    chart["fieldMatching"],
                )


def _pivot_spec(field, aggregator):
    """A measure as the spreadsheet's pivot asks read_group for it."""
    if aggregator:
        return f"{field}_{aggregator}_id:{aggregator}({field})"
    return field


@tagged("post_install", "-at_install")
class TestDutyDashboard(SpmScorecardCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref("sales_process_mgmt.spm_duty_dashboard")
        cls.rep_target = cls._target(cls.rep)
        cls._target(cls.rep_colleague)
        cls._order(cls.new_customer, 10, datetime(2026, 11, 3, 2, 0))
        cls._invoice(1000.0, "2026-12-15", invoice_date=NOVEMBER)
        stage = cls.env["crm.stage"].search([], limit=1)
        cls.env["crm.lead"].create(
            {"name": "Handsets for the chain", "type": "opportunity", "user_id": cls.rep.id}
            | {"stage_id": stage.id, "expected_revenue": 5000.0}
        )
        cls.data = _load(DASHBOARD)
        cls.env.flush_all()

    def test_files_are_spreadsheets_of_odoo_dashboards_format(self):
        version = _load("spreadsheet_dashboard_sale/data/files/sales_dashboard.json")["version"]
        sample = _load(SAMPLE)
        for data in (self.data, sample):
            self.assertEqual(data["version"], version)
            self.assertEqual([sheet["name"] for sheet in data["sheets"]], ["Dashboard", "Data"])
        self.assertEqual(json.loads(self.dashboard.spreadsheet_data), self.data)
        # the sample reads nothing: fixed figures only
        self.assertFalse(sample["pivots"] or sample["lists"] or sample["globalFilters"])
        self.assertFalse(list(_data_sources(sample)))
        self.assertEqual(self.dashboard.main_data_model_ids.model, "spm.rep.scorecard")

    def test_data_sources_read_stored_fields_of_the_addon_reports(self):
        filters = {flt["id"]: flt for flt in self.data["globalFilters"]}
        sources = list(_data_sources(self.data))
        self.assertEqual(
            {model for __, model, *__ in sources},
            {"spm.rep.score", "spm.rep.scorecard", "spm.collection.report", "spm.funnel.report"},
        )
        for what, model, domain, measures, groupbys, read, matching in sources:
            self.assertIn("sales_process_mgmt", self.env["ir.model"]._get(model).modules, what)
            fields = self.env[model].fields_get(
                attributes=["type", "store", "groupable", "aggregator", "relation"]
            )
            domain_fields = [leaf[0] for leaf in domain if isinstance(leaf, list)]
            used = [name for name, __ in measures] + groupbys + read + domain_fields
            for name in (spec.split(":")[0] for spec in used):
                self.assertIn(name, fields, f"{what}: {model} has no {name}")
                self.assertTrue(fields[name]["store"], f"{what}: {model}.{name} not stored")
            for name in groupbys:
                field = fields[name.split(":")[0]]
                self.assertTrue(field["groupable"], f"{what}: {model} groups by {name}")
            for name, aggregator in measures:
                self.assertTrue(
                    aggregator or fields[name].get("aggregator"),
                    f"{what}: {model}.{name} has no aggregate",
                )
            self.assertEqual(set(matching), set(filters), what)
            for filter_id, match in matching.items():
                field = fields[match["chain"]]
                self.assertEqual(field["type"], match["type"], f"{what}: {match['chain']}")
                if filters[filter_id]["type"] == "relation":
                    self.assertEqual(field["relation"], filters[filter_id]["modelName"], what)

    def test_manager_reads_every_data_source(self):
        """What the dashboard asks the server, as a manager: each pivot's read_group for
        every combination of its row and column group-bys, the list's records, the
        chart's web_read_group."""
        for what, model, domain, measures, groupbys, read, __ in _data_sources(self.data):
            Report = self.env[model].with_user(self.manager)
            if what.startswith("pivot"):
                specs = [_pivot_spec(*measure) for measure in measures]
                for size in range(len(groupbys) + 1):
                    for groupby in combinations(groupbys, size):
                        groups = Report.read_group(domain, specs, list(groupby), lazy=False)
                        self.assertTrue(groups, f"{what} by {groupby}")
            elif what.startswith("list"):
                spec = {name: {} for name in read}
                records = Report.web_search_read(domain, spec, limit=10)["records"]
                self.assertTrue(records, what)
            else:
                field, __ = measures[0]
                aggregator = Report.fields_get([field], ["aggregator"])[field]["aggregator"]
                result = Report.web_read_group(
                    domain, ["__count", f"{field}:{aggregator}"], groupbys, lazy=False
                )
                self.assertTrue(result["groups"], what)

    def test_score_pivot_reads_the_ranking_scores(self):
        pivot = self.data["pivots"]["1"]
        groups = (
            self.env[pivot["model"]]
            .with_user(self.manager)
            .read_group(pivot["domain"], ["score"], ["user_id", "date_from:month"], lazy=False)
        )
        scores = {group["user_id"][0]: group["score"] for group in groups}
        ranking = self.env["spm.rep.score"].search(
            [("user_id", "=", self.rep.id), ("date_from", "=", NOVEMBER)]
        )
        self.assertAlmostEqual(scores[self.rep.id], ranking.score)

    def test_collection_figures_are_ratios_of_the_sums(self):
        pivot = self.data["pivots"]["5"]
        Report = self.env[pivot["model"]].with_user(self.manager)
        [group] = Report.read_group(pivot["domain"], ["collection_rate"], [])
        [sums] = Report.read_group(
            pivot["domain"], ["collected_amount:sum", "net_invoiced_amount:sum"], []
        )
        self.assertAlmostEqual(
            group["collection_rate"],
            100.0 * sums["collected_amount"] / sums["net_invoiced_amount"],
        )

    def test_dashboard_is_shown_to_sales_managers_only(self):
        Dashboard = self.env["spreadsheet.dashboard"]
        self.assertIn(self.dashboard, Dashboard.with_user(self.manager).search([]))
        self.assertNotIn(self.dashboard, Dashboard.with_user(self.rep).search([]))
        with self.assertRaises(AccessError):
            self.dashboard.with_user(self.rep).check_access("read")
        # the Dashboards app: the groups, each with the published dashboards the user reads
        for user, shown in ((self.manager, True), (self.rep, False)):
            self.env.invalidate_all()  # one request each: nothing cached from the other
            records = (
                self.env["spreadsheet.dashboard.group"]
                .with_user(user)
                .web_search_read(
                    [("published_dashboard_ids", "!=", False)],
                    {"published_dashboard_ids": {"fields": {"name": {}}}},
                )["records"]
            )
            listed = [d["id"] for group in records for d in group["published_dashboard_ids"]]
            self.assertEqual(self.dashboard.id in listed, shown, user.login)

    def test_manager_opens_the_dashboard_on_the_scorecards(self):
        answer = self.dashboard.with_user(self.manager).get_readonly_dashboard()
        self.assertFalse(answer.get("is_sample"))
        self.assertEqual(answer["snapshot"]["pivots"].keys(), self.data["pivots"].keys())

    def test_sample_is_shown_before_any_scorecard(self):
        self.env["spm.rep.target"].search([]).unlink()
        answer = self.dashboard.with_user(self.manager).get_readonly_dashboard()
        self.assertTrue(answer["is_sample"])
        self.assertEqual(answer["snapshot"], _load(SAMPLE))

    def test_texts_are_translated_in_chinese(self):
        messages = {
            message["id"]: message["string"]
            for message in code_translations.get_web_translations("sales_process_mgmt", "zh_CN")[
                "messages"
            ]
        }
        for path in (DASHBOARD, SAMPLE):
            with file_open(path) as file:
                terms = {term for __, __, term, __ in extract_spreadsheet_terms(file, [], [], {})}
            self.assertTrue(terms)
            self.assertFalse(terms - messages.keys(), f"untranslated in {path}")
        self.assertEqual(messages["Sales Amount"], "销售额")
        self.assertEqual(messages["Collection Rate"], "回款率")
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["sales_process_mgmt"], ["zh_CN"], overwrite=True
        )
        dashboard = self.dashboard.with_context(lang="zh_CN")
        self.assertEqual(dashboard.name, "销售人员职责")
        self.assertEqual(dashboard.dashboard_group_id.name, "外勤销售")
