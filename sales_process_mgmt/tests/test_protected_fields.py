from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import SpmCommon


@tagged("post_install", "-at_install")
class TestProtectedFields(SpmCommon):
    """The one mechanism for fields written only by the app's own actions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.record = cls.env["spm.pr.record"].create(
            {"organisation": "District Trade Bureau", "user_id": cls.rep.id}
        )

    def test_rep_cannot_write_a_manager_field(self):
        with self.assertRaisesRegex(AccessError, "Responsible.* cannot be written directly"):
            self.record.with_user(self.rep).write({"user_id": self.rep_colleague.id})
        self.assertEqual(self.record.user_id, self.rep)

    def test_manager_may_write_a_manager_field(self):
        self.record.with_user(self.manager).write({"user_id": self.rep_colleague.id})
        self.assertEqual(self.record.user_id, self.rep_colleague)

    def test_writing_the_same_value_is_no_change(self):
        self.record.with_user(self.rep).write({"user_id": self.rep.id, "notes": "<p>Met</p>"})
        self.assertEqual(self.record.user_id, self.rep)

    def test_rep_cannot_create_with_a_colleague_in_a_manager_field(self):
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            self.env["spm.pr.record"].with_user(self.rep).create(
                {"organisation": "Evening News", "user_id": self.rep_colleague.id}
            )

    def test_rep_creates_with_the_default_value(self):
        record = (
            self.env["spm.pr.record"].with_user(self.rep).create({"organisation": "Evening News"})
        )
        self.assertEqual(record.user_id, self.rep)

    def test_a_context_key_sent_by_a_client_does_not_bypass(self):
        for value in (True, 1, "1", "spm_protected_write", [1]):
            with self.assertRaises(AccessError), self.cr.savepoint():
                self.record.with_user(self.rep).with_context(spm_protected_write=value).write(
                    {"user_id": self.rep_colleague.id}
                )
        self.assertEqual(self.record.user_id, self.rep)

    def test_the_apps_own_path_writes_protected_fields(self):
        self.record.with_user(self.rep)._spm_protected().write({"user_id": self.rep_colleague.id})
        self.assertEqual(self.record.user_id, self.rep_colleague)

    def test_nobody_field_is_refused_for_the_superuser(self):
        order = self.env["sale.order"].create({"partner_id": self.dealer.id})
        for env in (self.env(su=True), self.manager.env):
            with self.assertRaisesRegex(AccessError, "cannot be written directly"):
                order.with_env(env).write({"state": "sale"})
        self.assertEqual(order.state, "draft")

    def test_archive_review_date_is_written_by_mark_reviewed_only_for_a_rep(self):
        with self.assertRaisesRegex(AccessError, "Mark Reviewed"):
            self.dealer.with_user(self.rep).write({"spm_archive_reviewed_on": "2026-01-01"})
        self.dealer.with_user(self.rep).action_spm_mark_reviewed()
        self.assertTrue(self.dealer.spm_archive_reviewed_on)
        self.dealer.with_user(self.manager).write({"spm_archive_reviewed_on": "2026-01-01"})
        self.assertEqual(str(self.dealer.spm_archive_reviewed_on), "2026-01-01")

    def test_form_save_as_a_rep_keeps_the_responsible(self):
        with Form(self.record.with_user(self.rep)) as form:
            form.organisation = "District Commerce Bureau"
        self.assertEqual(self.record.user_id, self.rep)
