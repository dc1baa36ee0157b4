{
    "name": "Sales Process Management",
    "summary": "Run a field sales force by the handbook: market archives, visits, "
    "collection, discount policy, promotion, after-sales and rep duties",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "author": "Sales Process Management",
    "license": "LGPL-3",
    "depends": [
        "sale_management",
        "sale_margin",
        "crm",
        "account",
        "contacts",
        "base_geolocalize",
        "calendar",
        "mail",
    ],
    "data": [
        "security/spm_security.xml",
        "security/ir.model.access.csv",
        "views/spm_region_views.xml",
        "views/res_partner_views.xml",
        "views/spm_competitor_product_views.xml",
        "views/spm_pr_record_views.xml",
        "views/res_config_settings_views.xml",
        "report/spm_contact_book_report.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/spm_region_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/spm_competitor_product_demo.xml",
        "demo/spm_pr_record_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "sales_process_mgmt/static/tests/tours/*.js",
        ],
    },
    "application": True,
}
