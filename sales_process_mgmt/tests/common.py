from odoo.tests import TransactionCase, new_test_user


class SpmCommon(TransactionCase):
    """Two companies, a rep and a manager of the first, a rep of the second."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.other_company = cls.env["res.company"].create({"name": "Other Co"})
        salesman, manager = "sales_team.group_sale_salesman", "sales_team.group_sale_manager"
        cls.rep = cls._new_user("spm_rep", salesman, cls.company)
        cls.rep_colleague = cls._new_user("spm_rep_colleague", salesman, cls.company)
        cls.manager = cls._new_user("spm_manager", manager, cls.company)
        cls.other_rep = cls._new_user("spm_other_rep", salesman, cls.other_company)
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

    @classmethod
    def _new_user(cls, login, groups, company):
        return new_test_user(
            cls.env, login=login, groups=groups, company_id=company.id, company_ids=company.ids
        )
