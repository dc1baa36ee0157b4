from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SpmCommon


@tagged("post_install", "-at_install")
class TestMarketArchive(SpmCommon):
    def _fill_archive(self, partner):
        partner.write(
            {
                "spm_economic_nature": "private",
                "spm_employee_count": 120,
                "spm_annual_revenue": 5_000_000,
                "spm_network_region_ids": [(6, 0, self.region_east.ids)],
                "spm_main_products": "Phones",
                "spm_annual_sales": 4_000_000,
                "spm_credit_rating": "A",
                "spm_payday": "10",
                "spm_tier": "A",
            }
        )

    def test_completeness_counts_filled_archive_fields(self):
        empty = self.env["res.partner"].create({"name": "Blank", "is_company": True})
        self.assertEqual(empty.spm_archive_completeness, 0)
        # type + region of the 12 parts
        self.assertEqual(self.dealer.spm_archive_completeness, round(100 * 2 / 12))
        self._fill_archive(self.dealer)
        self.assertEqual(self.dealer.spm_archive_completeness, round(100 * 11 / 12))

    def test_completeness_needs_a_key_person(self):
        self._fill_archive(self.dealer)
        contact = self.env["res.partner"].create(
            {"name": "Zhang Wei", "parent_id": self.dealer.id, "type": "contact"}
        )
        self.assertEqual(self.dealer.spm_archive_completeness, 92)
        contact.spm_is_key_person = True
        self.assertEqual(self.dealer.spm_archive_completeness, 100)
        self.assertEqual(contact.spm_archive_completeness, 0, "contacts have no archive")

    def test_completeness_is_stored_and_searchable(self):
        self._fill_archive(self.dealer)
        found = self.env["res.partner"].search(
            [("spm_archive_completeness", ">=", 90), ("id", "=", self.dealer.id)]
        )
        self.assertEqual(found, self.dealer)

    def test_never_reviewed_archive_is_stale(self):
        self.assertTrue(self.dealer.spm_archive_stale)
        plain = self.env["res.partner"].create({"name": "No archive"})
        self.assertFalse(plain.spm_archive_stale, "a partner without archive is never stale")

    def test_archive_turns_stale_after_the_review_interval(self):
        self.env.company.spm_archive_stale_days = 90
        with freeze_time("2026-01-01"):
            self.dealer.action_spm_mark_reviewed()
            self.assertEqual(str(self.dealer.spm_archive_reviewed_on), "2026-01-01")
            self.assertFalse(self.dealer.spm_archive_stale)
        with freeze_time("2026-03-31"):  # 89 days later
            self.dealer.invalidate_recordset(["spm_archive_stale"])
            self.assertFalse(self.dealer.spm_archive_stale)
        with freeze_time("2026-04-02"):  # 91 days later
            self.dealer.invalidate_recordset(["spm_archive_stale"])
            self.assertTrue(self.dealer.spm_archive_stale)
            stale = self.env["res.partner"].search([("spm_archive_stale", "=", True)])
            fresh = self.env["res.partner"].search([("spm_archive_stale", "=", False)])
            self.assertIn(self.dealer, stale)
            self.assertNotIn(self.dealer, fresh)

    def test_review_interval_follows_the_setting(self):
        with freeze_time("2026-01-01"):
            self.dealer.action_spm_mark_reviewed()
        with freeze_time("2026-01-20"):
            self.env.company.spm_archive_stale_days = 30
            self.dealer.invalidate_recordset(["spm_archive_stale"])
            self.assertFalse(self.dealer.spm_archive_stale)
            self.env.company.spm_archive_stale_days = 10
            self.dealer.invalidate_recordset(["spm_archive_stale"])
            self.assertTrue(self.dealer.spm_archive_stale)

    def test_mark_reviewed_is_logged_in_the_chatter(self):
        self.dealer.with_user(self.rep).action_spm_mark_reviewed()
        self.assertIn("Market archive reviewed", self.dealer.message_ids[0].body)
        self.assertEqual(self.dealer.message_ids[0].author_id, self.rep.partner_id)

    def test_review_interval_must_be_positive(self):
        with self.assertRaisesRegex(ValidationError, "at least one day"):
            self.env.company.spm_archive_stale_days = 0

    def test_payday_outside_the_month_is_refused(self):
        for value in (0, 32, "0", "32", -1):
            with self.assertRaisesRegex(ValidationError, "Payday of Contact must be one of 1, 2"):
                self.dealer.write({"spm_payday": value})

    def test_payday_given_as_a_number_is_accepted(self):
        self.dealer.write({"spm_payday": 31})
        self.assertEqual(self.dealer.spm_payday, "31")
        partner = self.env["res.partner"].create({"name": "P", "spm_payday": 1})
        self.assertEqual(partner.spm_payday, "1")
        self.dealer.write({"spm_payday": False})
        self.assertFalse(self.dealer.spm_payday)

    def test_negative_counts_are_refused(self):
        for fname in ("spm_employee_count", "spm_store_count", "spm_annual_revenue"):
            with self.assertRaisesRegex(ValidationError, "cannot be negative"):
                self.dealer.write({fname: -1})

    def test_rating_outside_the_list_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "Credit Rating .*one of A, B, C, D, not 'E'"):
            self.dealer.write({"spm_credit_rating": "E"})
        with self.assertRaisesRegex(ValidationError, "Customer Class .*one of A, B, C, D"):
            self.env["res.partner"].create({"name": "X", "spm_tier": "Z"})
        with self.assertRaisesRegex(ValidationError, "Archive Type .*one of consumer"):
            self.dealer.write({"spm_archive_type": "wholesaler"})

    def test_rating_sent_as_a_list_is_refused(self):
        with self.assertRaisesRegex(ValidationError, r"Credit Rating .*not \['A'\]"):
            self.dealer.write({"spm_credit_rating": ["A"]})

    def test_payday_sent_as_a_boolean_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "Payday .*not True"):
            self.dealer.write({"spm_payday": True})

    def test_stale_archives_are_searched_with_in_and_not_in(self):
        fresh = self.env["res.partner"].create({"name": "Fresh", "spm_archive_type": "outlet"})
        fresh.action_spm_mark_reviewed()
        Partner = self.env["res.partner"]
        scope = [("id", "in", (self.dealer | fresh).ids)]
        for domain, expected in (
            ([("spm_archive_stale", "in", [True])], self.dealer),
            ([("spm_archive_stale", "in", [False])], fresh),
            ([("spm_archive_stale", "not in", [True])], fresh),
            ([("spm_archive_stale", "in", [True, False])], self.dealer | fresh),
            ([("spm_archive_stale", "not in", [True, False])], Partner),
            ([("spm_archive_stale", "!=", True)], fresh),
        ):
            self.assertEqual(Partner.search(scope + domain), expected, domain)

    def test_stale_archives_searched_with_another_operator_is_refused(self):
        with self.assertRaisesRegex(UserError, "Archive Stale can only be searched with"):
            self.env["res.partner"].search([("spm_archive_stale", "ilike", "yes")])

    def test_referrals_are_counted(self):
        referred = self.env["res.partner"].create(
            [{"name": f"Outlet {i}", "spm_referred_by_id": self.dealer.id} for i in range(3)]
        )
        self.assertEqual(self.dealer.spm_referral_count, 3)
        action = self.dealer.action_spm_view_referrals()
        self.assertEqual(self.env["res.partner"].search(action["domain"]), referred)

    def test_referral_cycle_is_refused(self):
        outlet = self.env["res.partner"].create(
            {"name": "Outlet", "spm_referred_by_id": self.dealer.id}
        )
        with self.assertRaisesRegex(ValidationError, "cannot be referred by itself"):
            self.dealer.spm_referred_by_id = outlet
        with self.assertRaisesRegex(ValidationError, "cannot be referred by itself"):
            self.dealer.spm_referred_by_id = self.dealer

    def test_archive_tab_through_the_form(self):
        with Form(self.env["res.partner"].with_user(self.rep)) as form:
            form.name = "Jincheng Digital"
            form.company_type = "company"
            form.spm_archive_type = "dealer"
            form.spm_channel_level = "3"
            form.spm_tier = "C"
            form.spm_payday = "5"
            form.spm_region_id = self.region_sh
        partner = form.record
        self.assertEqual(partner.spm_channel_level, "3")
        self.assertEqual(partner.spm_archive_completeness, round(100 * 4 / 12))

    def test_competitor_observation_takes_the_outlet_region(self):
        competitor = self.env["res.partner"].create({"name": "Rival", "is_company": True})
        with Form(self.env["spm.competitor.product"].with_user(self.rep)) as form:
            form.name = "H8 128G"
            form.competitor_id = competitor
            form.observed_partner_id = self.dealer
            form.price = 2199
        record = form.record
        self.assertEqual(record.region_id, self.region_sh)
        self.assertEqual(record.observed_by_id, self.rep)

    def test_competitor_bad_figures_are_refused(self):
        competitor = self.env["res.partner"].create({"name": "Rival", "is_company": True})
        vals = {"name": "H8", "competitor_id": competitor.id}
        with self.assertRaisesRegex(ValidationError, "between 0 and 100%"):
            self.env["spm.competitor.product"].create(dict(vals, share_estimate=120))
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.env["spm.competitor.product"].create(dict(vals, price=-5))

    def _queries(self, func):
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def test_batch_paths_cost_the_same_for_one_or_many_customers(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Outlet {i}", "spm_archive_type": "outlet"} for i in range(41)]
        )
        one, many = partners[:1], partners[1:]
        self.assertEqual(
            self._queries(one.action_spm_mark_reviewed),
            self._queries(many.action_spm_mark_reviewed),
            "marking archives reviewed costs the same for 1 or 40 customers",
        )
        self.assertEqual(
            self._queries(lambda: one.mapped("spm_archive_stale")),
            self._queries(lambda: many.mapped("spm_archive_stale")),
        )
        self.assertEqual(
            self._queries(lambda: one.mapped("spm_referral_count")),
            self._queries(lambda: many.mapped("spm_referral_count")),
        )

    def test_each_company_reviews_by_its_own_interval(self):
        self.env.company.spm_archive_stale_days = 10
        self.other_company.spm_archive_stale_days = 365
        other_dealer = self.env["res.partner"].create(
            {
                "name": "Other dealer",
                "spm_archive_type": "dealer",
                "company_id": self.other_company.id,
            }
        )
        with freeze_time("2026-01-01"):
            (self.dealer | other_dealer).action_spm_mark_reviewed()
        with freeze_time("2026-01-31"):
            both = self.env["res.partner"].with_context(
                allowed_company_ids=[self.company.id, self.other_company.id]
            )
            (self.dealer | other_dealer).invalidate_recordset(["spm_archive_stale"])
            self.assertTrue(self.dealer.spm_archive_stale)
            self.assertFalse(other_dealer.spm_archive_stale)
            stale = both.search([("spm_archive_stale", "=", True)])
            self.assertIn(self.dealer, stale)
            self.assertNotIn(other_dealer, stale)

    def test_rep_cannot_set_the_review_date_directly(self):
        with self.assertRaisesRegex(AccessError, "set by Mark Reviewed"):
            self.dealer.with_user(self.rep).write({"spm_archive_reviewed_on": "2099-01-01"})
        self.dealer.with_user(self.rep).action_spm_mark_reviewed()
        self.assertTrue(self.dealer.spm_archive_reviewed_on)

    def test_region_of_another_company_is_refused_on_a_customer(self):
        foreign = self.env["spm.region"].create(
            {"name": "North", "company_id": self.other_company.id}
        )
        customer = self.env["res.partner"].create(
            {"name": "Company customer", "company_id": self.company.id}
        )
        with self.assertRaisesRegex(ValidationError, "belong to another company"):
            customer.spm_region_id = foreign
        with self.assertRaisesRegex(ValidationError, "belong to another company"):
            customer.spm_network_region_ids = foreign
        shared = self.env["res.partner"].create({"name": "Shared customer"})
        shared.spm_region_id = foreign
        self.assertEqual(shared.spm_region_id, foreign, "shared customers use any region")

    def test_empty_payday_clears_it(self):
        self.dealer.spm_payday = "10"
        self.dealer.write({"spm_payday": ""})
        self.assertFalse(self.dealer.spm_payday)
