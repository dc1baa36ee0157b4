"""The base of the tests of money collected in the field: the collection base, a
finance user, a rep who also has accounting rights, a photo of a transfer slip."""

import base64

from odoo.tests import new_test_user

from .common_collection import SpmCollectionCommon

# A 1x1 PNG: what the phone's camera sends, in small.
SLIP_PHOTO = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360f8cfc000000301010018dd8db00000000049454e44ae426082"
    )
).decode()


class SpmFieldCollectionCommon(SpmCollectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.finance = new_test_user(
            cls.env,
            login="spm_finance",
            groups="base.group_user,account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )
        cls.rep_accountant = new_test_user(
            cls.env,
            login="spm_rep_accountant",
            groups="sales_team.group_sale_salesman,account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )
        cls.Receipt = cls.env["spm.collection.receipt"]

    def _receive(self, task, amount=1000.0, user=None, **vals):
        return self.Receipt.with_user(user or self.rep).create(
            {"task_id": task.id, "amount": amount, "method": "cash", **vals}
        )
