"""Packages the addon as odoo-addon-sales_process_mgmt (files under odoo/addons/)."""

import ast
from pathlib import Path

from setuptools import find_namespace_packages, setup

ADDON = "sales_process_mgmt"
MANIFEST = ast.literal_eval((Path(__file__).parent / ADDON / "__manifest__.py").read_text())

setup(
    name=f"odoo-addon-{ADDON}",
    version=MANIFEST["version"],
    description=MANIFEST["summary"],
    long_description=Path("README.rst").read_text(encoding="utf-8"),
    long_description_content_type="text/x-rst",
    license="LGPL-3",
    author=MANIFEST["author"],
    python_requires=">=3.10",
    install_requires=["openupgradelib", "prcoords"],
    package_dir={f"odoo.addons.{ADDON}": ADDON},
    packages=[f"odoo.addons.{ADDON}"]
    + [f"odoo.addons.{ADDON}.{pkg}" for pkg in find_namespace_packages(ADDON)],
    include_package_data=True,
    zip_safe=False,
    classifiers=[
        "Programming Language :: Python",
        "Framework :: Odoo",
        "Framework :: Odoo :: 18.0",
        "License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)",
    ],
)
