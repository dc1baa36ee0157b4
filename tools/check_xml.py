"""Parse every XML file of the addon with lxml; report the ones that do not parse."""

import sys
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
bad = 0
files = sorted((ROOT / "sales_process_mgmt").rglob("*.xml"))
for path in files:
    try:
        etree.parse(str(path))
    except etree.XMLSyntaxError as exc:
        bad += 1
        print(f"{path.relative_to(ROOT)}: {exc}")
print(f"{len(files)} XML files, {bad} not well-formed")
sys.exit(1 if bad else 0)
