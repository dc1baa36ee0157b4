"""Check that a .po file translates every message of a freshly exported .pot.

Usage: check_translations.py EXPORTED.pot LANG.po
"""

import sys

import polib

pot = polib.pofile(sys.argv[1])
po = polib.pofile(sys.argv[2])
translated = {entry.msgid for entry in po if entry.msgstr and not entry.obsolete}
missing = sorted({entry.msgid for entry in pot} - translated)
for msgid in missing:
    print(f"untranslated: {msgid!r}")
print(f"{len(pot)} messages, {len(missing)} without a translation in {sys.argv[2]}")
sys.exit(1 if missing else 0)
