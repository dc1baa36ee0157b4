from odoo.tests import TransactionCase, new_test_user


class SpmCommon(TransactionCase):
    """Two companies, a rep and a manager of the first, a rep of the second."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.other_company = cls.env["res.company"].create({"name": "Other Co"})
        cls.rep = new_test_user(
            cls.env,
            login="spm_rep",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.rep_colleague = new_test_user(
            cls.env,
            login="spm_rep_colleague",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.manager = new_test_user(
            cls.env,
            login="spm_manager",
            groups="sales_team.group_sale_manager",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.other_rep = new_test_user(
            cls.env,
            login="spm_other_rep",
            groups="sales_team.group_sale_salesman",
            company_id=cls.other_company.id,
            company_ids=[cls.other_company.id],
        )
        cls.region_east = cls.env["spm.region"].create({"name": "East", "code": "E"})
        cls.region_sh = cls.env["spm.region"].create(
            {"name": "Shanghai", "code": "E-SH", "parent_id": cls.region_east.id}
        )
        cls.dealer = cls.env["res.partner"].create(
            {
                "name": "Huatong Electronics",
                "is_company": True,
                "spm_archive_type": "dealer",
                "spm_channel_level": "1",
                "spm_region_id": cls.region_sh.id,
                "user_id": cls.rep_colleague.id,
            }
        )
