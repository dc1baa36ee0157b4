"""Every screen a rep opens from the app's menu works on a phone: a list opens as cards
(the action's kanban view, which Odoo opens first on a small screen), without a New
button where nothing can be created, with times to the minute, and the page never
scrolls sideways. The entries are read from the menus the rep sees, so a new menu entry
is checked without changing these tests."""

import json
from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import SpmCommon, SpmPhoneTourCase, customer_invoice

REP_GROUPS = "base.group_user,sales_team.group_sale_salesman"


def rep_menu_entries(user):
    """The menu entries ``user`` sees under the app's root, in menu order: one dict
    per entry that opens an action, with the menu's xmlid and name and the action."""
    env = user.env
    menus = env["ir.ui.menu"].with_user(user).load_menus(debug=False)
    root_id = env.ref("sales_process_mgmt.spm_menu_root").id
    entries = []

    def walk(menu_id):
        menu = menus[menu_id]
        if menu["action"]:
            model, action_id = menu["action"].split(",")
            entries.append(
                {
                    "xmlid": menu["xmlid"],
                    "name": menu["name"],
                    "action": env[model].browse(int(action_id)),
                }
            )
        for child_id in menu["children"]:
            walk(child_id)

    if root_id in menus:
        walk(root_id)
    return entries


def opens_a_dialog(action):
    return action._name == "ir.actions.act_window" and action.target == "new"


def kanban_arch(action, user):
    """The kanban view ``action`` opens, as ``user`` receives it."""
    views = [(view_id, view_type) for view_id, view_type in action.views if view_type == "kanban"]
    result = action.env[action.res_model].with_user(user).get_views(views)
    return etree.fromstring(result["views"]["kanban"]["arch"])


@tagged("post_install", "-at_install")
class TestPhoneMenus(SpmCommon):
    def _lists(self):
        entries = [
            entry for entry in rep_menu_entries(self.rep) if not opens_a_dialog(entry["action"])
        ]
        self.assertTrue(entries)
        return entries

    def test_the_rep_sees_the_field_screens_in_the_menu(self):
        xmlids = {entry["xmlid"] for entry in rep_menu_entries(self.rep)}
        for xmlid in (
            "spm_visit_my_day_menu",
            "spm_visit_menu",
            "spm_partner_revisit_menu",
            "spm_contact_book_menu",
            "spm_competitor_product_menu",
            "spm_pr_record_menu",
            "spm_collection_task_menu",
            "spm_payment_promise_menu",
        ):
            self.assertIn(f"sales_process_mgmt.{xmlid}", xmlids)
        self.assertNotIn("sales_process_mgmt.spm_visit_analysis_menu", xmlids)

    def test_every_rep_list_opens_as_cards_on_a_phone(self):
        for entry in self._lists():
            action = entry["action"]
            with self.subTest(menu=entry["xmlid"]):
                self.assertEqual(action._name, "ir.actions.act_window")
                self.assertIn("kanban", action.view_mode.split(","))
                self.assertEqual(action.mobile_view_mode, "kanban")
                view_types = [view_type for _view_id, view_type in action.views]
                self.assertIn("kanban", view_types)
                self.assertEqual(kanban_arch(action, self.rep).tag, "kanban")

    def test_the_desktop_keeps_its_first_view(self):
        first = {
            "sales_process_mgmt.spm_partner_revisit_action": "list",
            "sales_process_mgmt.spm_payment_promise_action": "list",
            "sales_process_mgmt.spm_collection_ageing_report_action": "pivot",
            "sales_process_mgmt.spm_collection_report_action": "pivot",
            "sales_process_mgmt.spm_visit_my_day_action": "kanban",
        }
        for xmlid, view_type in first.items():
            with self.subTest(action=xmlid):
                self.assertEqual(self.env.ref(xmlid).views[0][1], view_type)

    def test_revisits_due_offer_no_new_button(self):
        action = self.env.ref("sales_process_mgmt.spm_partner_revisit_action")
        result = self.env["res.partner"].with_user(self.rep).get_views(action.views)
        for view_type in ("list", "kanban"):
            with self.subTest(view=view_type):
                arch = etree.fromstring(result["views"][view_type]["arch"])
                self.assertEqual(arch.get("create"), "0")

    def test_revisits_due_cards_show_when_the_customer_is_due(self):
        action = self.env.ref("sales_process_mgmt.spm_partner_revisit_action")
        names = {node.get("name") for node in kanban_arch(action, self.rep).iter("field")}
        self.assertLessEqual({"spm_next_visit_due", "spm_last_visit_date", "spm_tier"}, names)

    def test_cards_grouped_from_the_start_stack_on_a_phone(self):
        for entry in self._lists():
            action = entry["action"]
            arch = kanban_arch(action, self.rep)
            grouped = arch.get("default_group_by") or "search_default_groupby" in (
                action.context or ""
            )
            if not grouped:
                continue
            with self.subTest(menu=entry["xmlid"]):
                self.assertIn("o_spm_phone_cards", (arch.get("class") or "").split())

    def test_times_on_cards_have_no_seconds(self):
        for entry in self._lists():
            action = entry["action"]
            fields_info = self.env[action.res_model].fields_get(attributes=["type"])
            arch = kanban_arch(action, self.rep)
            for node in arch.xpath("//templates//field"):
                if fields_info.get(node.get("name"), {}).get("type") != "datetime":
                    continue
                with self.subTest(menu=entry["xmlid"], field=node.get("name")):
                    self.assertIn("'show_seconds': False", node.get("options") or "")

    def test_the_visit_form_shows_times_without_seconds(self):
        arch = etree.fromstring(
            self.env["spm.visit"]
            .with_user(self.rep)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        for name in ("planned_start", "check_in_time", "check_out_time"):
            with self.subTest(field=name):
                (node,) = arch.xpath(f"//sheet//field[@name='{name}']")
                self.assertIn("'show_seconds': False", node.get("options") or "")


@tagged("post_install", "-at_install")
class TestPhoneMenusTour(SpmPhoneTourCase):
    def test_every_rep_menu_entry_fits_a_phone(self):
        rep = new_test_user(self.env, login="spm_phone_menus_rep", groups=REP_GROUPS, tz="UTC")
        self._rep_data(rep)
        entries = rep_menu_entries(rep)
        self.assertGreaterEqual(len(entries), 10)
        steps = [
            {
                "xmlid": entry["xmlid"],
                "name": entry["name"],
                "dialog": opens_a_dialog(entry["action"]),
            }
            for entry in entries
        ]
        self.start_tour(
            "/odoo/action-sales_process_mgmt.spm_visit_my_day_action",
            "spm_phone_menus_tour",
            login="spm_phone_menus_rep",
            code=f"window.spmPhoneMenus = {json.dumps(steps)}; "
            "odoo.startTour('spm_phone_menus_tour', {stepDelay: 0})",
        )

    def _rep_data(self, rep):
        """A record of the rep's on each list, with long names, so cards are not empty."""
        long_name = "上海浦东新区张江高科技园区通讯器材旗舰店第二分店"
        customer = self.env["res.partner"].create(
            {
                "name": long_name,
                "is_company": True,
                "spm_archive_type": "outlet",
                "spm_tier": "A",
                "user_id": rep.id,
                "phone": "021-60000000",
            }
        )
        self.env["res.partner"].create(
            {
                "name": "王建国",
                "parent_id": customer.id,
                "function": "总经理",
                "spm_is_key_person": True,
                "mobile": "13800000000",
            }
        )
        now = fields.Datetime.now()
        self.env["spm.visit"].create(
            [
                {
                    "partner_id": customer.id,
                    "user_id": rep.id,
                    "purpose": "order",
                    "planned_start": now,
                },
                {
                    "partner_id": customer.id,
                    "user_id": rep.id,
                    "purpose": "routine",
                    "planned_start": now + timedelta(days=2),
                },
            ]
        )
        # in the archive for a month, never visited
        customer.spm_next_visit_due = fields.Date.today() - timedelta(days=30)
        competitor = self.env["res.partner"].create(
            {"name": "华强通讯科技有限公司", "is_company": True}
        )
        self.env["spm.competitor.product"].create(
            {
                "name": "华强 H9 青春版 128GB 双卡双待",
                "competitor_id": competitor.id,
                "price": 1899.0,
                "observed_partner_id": customer.id,
                "observed_by_id": rep.id,
            }
        )
        self.env["spm.pr.record"].create(
            {
                "organisation": "上海市浦东新区商务委员会",
                "counterpart_type": "government",
                "user_id": rep.id,
            }
        )
        today = fields.Date.today()
        invoice = customer_invoice(
            self.env, customer, 19000.0, today - timedelta(days=20), user=rep
        )
        task = self.env["spm.collection.task"]._create_for_moves(invoice)
        self.env["spm.payment.promise"].with_user(rep).create(
            {
                "task_id": task.id,
                "promised_date": today + timedelta(days=3),
                "amount": 19000.0,
                "reason": "Boss away until Friday",
            }
        )
        return customer
