"""Upgrade from the previous version keeps every record.

A database of version 18.0.1.0.0 (the addon as it was in commit ``PREVIOUS_COMMIT``) is
made with its demo data plus records made through the ORM (customers with coordinates,
a collection rule that blocks orders, visits, one checked in and out with two photos: an
image and a text file), then upgraded with the current code (``-u sales_process_mgmt``).
Every record of every ``spm.`` model must still be there with the same values, and so
must the ``spm_`` fields of core models; the only records added are the current version's
new data (records with an XML id the previous version did not have) and what the
migrations make of the old ones (the visits' photos become photo records).

The previous version is read from a folder made by ``git archive`` and put on
``PYTHONPATH`` as ``odoo/addons/sales_process_mgmt``: ``odoo.addons`` lists the folders of
``sys.path`` in order, so it comes before the installed addon (the wheel under
site-packages, or an addons path). Nothing is fetched from the network.
"""

import json
import shutil
import subprocess
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

import psycopg2
import pytest
from odoo_subprocess import BATCH_RUN, run_odoo

import odoo

ROOT = Path(__file__).resolve().parents[1]
ADDON = "sales_process_mgmt"
PREVIOUS_COMMIT = "4c9f7de"
PREVIOUS_VERSION = "18.0.1.0.0"


# ---------------------------------------------------------------------------------------
# What the migrations to the current version promise, on the records made before the
# upgrade: (model, which records (a test on their values before the upgrade), field, value
# after the upgrade).
def ALL(old):
    return True


def LOCATED(old):
    return bool(old["partner_latitude"] or old["partner_longitude"])


def BLOCKING(old):
    return old["block_orders_after_days"] > 0


MIGRATION_CHECKS = [
    # the holds the old code enforced stay switched on for existing rules
    ("spm.collection.rule", BLOCKING, "hold_overdue", True),
    ("spm.collection.rule", ALL, "hold_deferrals", True),
    ("spm.collection.rule", ALL, "hold_credit_limit", True),
    # existing customer coordinates stay confirmed
    ("res.partner", LOCATED, "spm_location_confirmed", True),
    # and keep their meaning: they were measured as WGS-84 positions
    ("res.partner", LOCATED, "spm_geo_datum", "wgs84"),
    # actions kept on a phone without network are taken for a day, as on a new company
    ("res.company", ALL, "spm_offline_max_age_hours", 24),
    # the old check-ins and check-outs were all sent online
    ("spm.visit", ALL, "recorded_offline", False),
    # order lines are not repriced by the upgrade: their reference price is measured when
    # a rule first needs it
    ("sale.order.line", ALL, "spm_reference_price", 0.0),
    # existing companies flag poor stores below the default score
    ("res.company", ALL, "spm_atmosphere_threshold", 3.0),
    # and send the reps' daily reports at the default hour
    ("res.company", ALL, "spm_daily_report_hour", 19),
]
# Fields of the previous version the current one drops or renames on purpose:
# {model: {field: "why"}}.
FIELDS_GONE_ON_PURPOSE = {
    "spm.payment.promise": {
        "is_deferral": "now computed: a deferral is a promise dated after the invoice's due "
        "date (the migration recounts the tasks' deferrals by that definition)",
    },
    "spm.visit": {
        "photo_ids": "now computed from the visit's photo records, which the migration "
        "makes of the old photos (test_upgrade_turns_visit_photos_into_photo_records)",
    },
}
# XML ids and index names the current version renames: {old: new}. A renamed XML id
# points to the same record as before; the old one is gone.
RENAMED_XMLIDS = {
    f"{ADDON}.spm_collection_task_cron": f"{ADDON}.ir_cron_spm_refresh_tasks",
    f"{ADDON}.spm_collection_task_cron_ir_actions_server": (
        f"{ADDON}.ir_cron_spm_refresh_tasks_ir_actions_server"
    ),
    f"{ADDON}.action_report_spm_visit_log": f"{ADDON}.spm_visit_log_report",
}
RENAMED_INDEXES = {
    "spm_discount_policy_one_per_scope": "spm_discount_policy_one_per_scope_uniq",
}
# Records of the data model itself (fields, selections, constraints), which follow the
# code rather than the data files.
METADATA_MODELS = {
    "ir.model",
    "ir.model.fields",
    "ir.model.fields.selection",
    "ir.model.constraint",
    "ir.model.relation",
}
# Where the addon is listed in Apps after the upgrade.
CATEGORY = "base.module_category_sales_field_sales"
# ---------------------------------------------------------------------------------------

# Written by the database, not kept: an upgrade may touch them.
VOLATILE = {"write_date", "write_uid", "__last_update"}
# Core fields that matter to the addon besides its spm_ fields.
CORE_FIELDS = {"res.partner": ["partner_latitude", "partner_longitude"]}
# Fields read before and after the upgrade whatever they are (computed, not stored).
READ_FIELDS = {
    "spm.visit": ["photo_ids"],
    # the upgrade reprices no order line
    "sale.order.line": ["price_unit", "discount"],
}

# Run with ``odoo shell``: records made through the previous version's ORM.
MAKE_DATA = """
from odoo import fields
env["res.company"].create({"name": "Upgrade second company"})
rep = env.ref("sales_process_mgmt.spm_user_rep_demo")
customers = env["res.partner"].create([
    {
        "name": f"Upgrade customer {i}",
        "is_company": True,
        "user_id": rep.id,
        "spm_tier": "B",
        "spm_payday": "15",
        "partner_latitude": 31.2 + i / 100,
        "partner_longitude": 121.4 + i / 100,
    }
    for i in range(3)
])
env["spm.collection.rule"].create({
    "name": "Upgrade rule",
    "sequence": 5,
    "partner_ids": [(6, 0, customers.ids)],
    "grace_days": 2,
    "max_deferrals": 2,
    "block_orders_after_days": 20,
})
visits = env["spm.visit"].create([
    {
        "partner_id": customer.id,
        "user_id": rep.id,
        "purpose": "routine",
        "planned_start": fields.Datetime.now(),
        "objective": "Present the new handsets",
    }
    for customer in customers
])
visit = visits[0].with_user(rep)
visit.action_check_in(latitude=31.2, longitude=121.4)
visit.write({"outcome": "Ordered ten handsets", "satisfaction": "4"})
visit.action_check_out(latitude=31.2, longitude=121.4)
# its photos, uploaded by the rep: an image and a file that is not one
import base64, io
from PIL import Image
png = io.BytesIO()
Image.new("RGB", (240, 180), (40, 120, 200)).save(png, format="PNG")
files = env["ir.attachment"].with_user(rep).create([
    {
        "name": "shelf.png",
        "datas": base64.b64encode(png.getvalue()),
        "res_model": "spm.visit",
        "res_id": visit.id,
    },
    {
        "name": "notes.txt",
        "datas": base64.b64encode("Shelf: 12 facings".encode()),
        "mimetype": "text/plain",
        "res_model": "spm.visit",
        "res_id": visit.id,
    },
])
visit.write({"photo_ids": [(6, 0, files.ids)]})
env.cr.commit()
"""

# Run with ``odoo shell``: every stored, non-computed field of the spm models, the spm_
# fields of core models, the fields of MIGRATION_CHECKS and READ_FIELDS, the comodels of
# their x2many fields, and the visits' photo files, as JSON.
SNAPSHOT = """
import io, json, os
from PIL import Image

extra = json.loads(os.environ["SPM_EXTRA_FIELDS"])
core = json.loads(os.environ["SPM_CORE_FIELDS"])
volatile = set(json.loads(os.environ["SPM_VOLATILE"]))

def plain(record, field):
    value = record[field.name]
    if field.type == "many2one":
        return value.id
    if field.type in ("one2many", "many2many"):
        return sorted(value.ids)
    if field.type in ("date", "datetime"):
        return str(value) if value else False
    if field.type in ("float", "monetary"):
        return round(value, 6)
    return value

addon = env["ir.module.module"].search([("name", "=", "sales_process_mgmt")])
out = {
    "version": addon.latest_version,
    "category": addon.category_id.get_external_id()[addon.category_id.id],
    "application": addon.application,
    "models": {},
}
data = env["ir.model.data"].search([("module", "=", "sales_process_mgmt")])
out["xmlids"] = {record.complete_name: [record.model, record.res_id] for record in data}
crons = env["ir.cron"].with_context(active_test=False).browse(
    data.filtered(lambda record: record.model == "ir.cron").mapped("res_id")
)
out["crons"] = {
    str(cron.id): {"active": cron.active, "nextcall": str(cron.nextcall), "code": cron.code}
    for cron in crons
}
env.cr.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'spm%'")
out["indexes"] = sorted(name for [name] in env.cr.fetchall())
for name in sorted(env.registry):
    Model = env[name].with_context(active_test=False)
    if Model._abstract or Model._transient or not Model._auto:
        continue
    wanted = [
        field
        for fname, field in Model._fields.items()
        if (field.store or fname in extra.get(name, []))
        and field.type != "binary" and fname not in volatile
        and (not field.compute or fname in extra.get(name, []))
        and (
            name.startswith("spm.") or fname.startswith("spm_")
            or fname in core.get(name, []) or fname in extra.get(name, [])
        )
    ]
    if not name.startswith("spm.") and not [f for f in wanted if f.name != "id"]:
        continue
    records = Model.search([], order="id")
    out["models"][name] = {
        str(record.id): {field.name: plain(record, field) for field in wanted}
        for record in records
    }
    out.setdefault("comodels", {})[name] = {
        field.name: field.comodel_name
        for field in wanted if field.type in ("one2many", "many2many")
    }

def image_size(attachment):
    try:
        return list(Image.open(io.BytesIO(attachment.raw)).size)
    except Exception:
        return None

files = env["spm.visit"].with_context(active_test=False).search([]).photo_ids
if "spm.visit.photo" in env:
    photos = env["spm.visit.photo"].search([])
    files |= photos.attachment_id | photos.stamped_attachment_id
out["attachments"] = {
    str(attachment.id): {
        "name": attachment.name,
        "mimetype": attachment.mimetype,
        "res_model": attachment.res_model,
        "res_id": attachment.res_id,
        "create_uid": attachment.create_uid.id,
        "create_date": str(attachment.create_date),
        "image_size": image_size(attachment),
    }
    for attachment in files.sudo()
}
if "spm.rep.scorecard" in env:
    out["scorecard"] = env["spm.rep.scorecard"].search_count([])
if "spm.daily.report" in env:
    # today's daily report of the demo rep, made from the old visits (not saved)
    rep = env.ref("sales_process_mgmt.spm_user_rep_demo")
    report = env["spm.daily.report"].with_user(rep).new({})
    out["daily_report"] = {"visits": report.visit_count, "summary": str(report.summary)}
with open(os.environ["SPM_SNAPSHOT"], "w") as file:
    json.dump(out, file, default=str)
"""


def _snapshot(db, path, logfile, pythonpath=None):
    extra = {model: list(fnames) for model, fnames in READ_FIELDS.items()}
    for model, _which, fname, _value in MIGRATION_CHECKS:
        extra.setdefault(model, []).append(fname)
    variables = {
        "SPM_SNAPSHOT": str(path),
        "SPM_EXTRA_FIELDS": json.dumps(extra),
        "SPM_CORE_FIELDS": json.dumps(CORE_FIELDS),
        "SPM_VOLATILE": json.dumps(sorted(VOLATILE)),
    }
    shell = ["shell", "-d", db, "--no-http", "--log-level", "warn"]
    run_odoo(shell, logfile, pythonpath, SNAPSHOT, variables)
    return json.loads(Path(path).read_text())


def _drop(db):
    """Drop ``db`` whatever its state (a failed earlier run may have left it)."""
    conn = psycopg2.connect(dbname="postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cr:
            cr.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    finally:
        conn.close()
    shutil.rmtree(odoo.tools.config.filestore(db), ignore_errors=True)


@pytest.fixture(scope="module")
def upgraded():
    """(snapshot before, snapshot after, seconds per phase) of an upgraded database."""
    db = f"{odoo.tools.config['db_name']}_upgrade"
    tmp = Path(tempfile.mkdtemp(prefix="spm-upgrade-"))
    previous = tmp / "previous"
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", PREVIOUS_COMMIT, ADDON],
        capture_output=True,
        check=False,
    )
    if archive.returncode:
        pytest.fail(
            f"git archive {PREVIOUS_COMMIT} failed (the upgrade test needs the git "
            f"history of the project): {archive.stderr.decode()}"
        )
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(previous / "odoo" / "addons", filter="data")
    seconds = {}
    _drop(db)
    try:
        start = time.monotonic()
        run_odoo(
            ["-d", db, "-i", ADDON, *BATCH_RUN],
            tmp / "install.log",
            previous,
        )
        run_odoo(
            ["shell", "-d", db, "--no-http", "--log-level", "warn"],
            tmp / "data.log",
            previous,
            MAKE_DATA,
        )
        before = _snapshot(db, tmp / "before.json", tmp / "before.log", previous)
        seconds["previous version"] = time.monotonic() - start
        start = time.monotonic()
        run_odoo(
            ["-d", db, "-u", ADDON, *BATCH_RUN],
            tmp / "upgrade.log",
        )
        after = _snapshot(db, tmp / "after.json", tmp / "after.log")
        seconds["upgrade"] = time.monotonic() - start
        yield before, after, seconds
        _drop(db)
        shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        print(f"logs of the upgrade test kept in {tmp}, database {db}")
        raise


def test_upgrade_starts_from_the_previous_version(upgraded):
    before, after, _seconds = upgraded
    assert before["version"] == PREVIOUS_VERSION, "the previous version was not the one installed"
    assert after["version"] != PREVIOUS_VERSION, "the upgrade did not change the version"


def _new_data(before, after):
    """{model: ids} of the records with an XML id the previous version did not have: the
    current version's new data and demo data, loaded by the upgrade; and the records the
    addon gives a company the upgrade added (a module the upgrade installs may bring a
    demo company: stock's second warehouse company)."""
    renamed = set(RENAMED_XMLIDS.values())
    new = {}
    for xmlid, (model, res_id) in after["xmlids"].items():
        if xmlid not in before["xmlids"] and xmlid not in renamed:
            new.setdefault(model, set()).add(res_id)
    companies = set(after["models"].get("res.company", {})) - set(
        before["models"].get("res.company", {})
    )
    for model, records in after["models"].items():
        for rid, values in records.items():
            if model.startswith("spm.") and str(values.get("company_id")) in companies:
                new.setdefault(model, set()).add(int(rid))
    return new


def test_upgrade_keeps_every_record_and_value(upgraded):
    before, after, _seconds = upgraded
    new_data = _new_data(before, after)
    lost = []
    for model, records in before["models"].items():
        if model not in after["models"]:
            lost.append(f"model {model} is gone ({len(records)} records)")
            continue
        now = after["models"][model]
        added = sorted(
            int(rid) for rid in set(now) - set(records) if int(rid) not in new_data.get(model, ())
        )
        if model.startswith("spm.") and added:
            lost.append(f"{model}: records {added} appeared, not new data of the current version")
        gone_on_purpose = FIELDS_GONE_ON_PURPOSE.get(model, {})
        comodels = after["comodels"].get(model, {})
        for rid, values in records.items():
            if rid not in now:
                lost.append(f"{model}({rid}) is gone")
                continue
            for fname, value in values.items():
                if fname in gone_on_purpose:
                    continue
                if fname not in now[rid]:
                    lost.append(f"{model}.{fname} is gone")
                    continue
                value_now = now[rid][fname]
                if fname in comodels:
                    # new data may link to old records (a new demo visit of a customer)
                    added_ids = new_data.get(comodels[fname], set()) - set(value)
                    value_now = [rid for rid in value_now if rid not in added_ids]
                if value_now != value:
                    lost.append(f"{model}({rid}).{fname}: {value!r} -> {now[rid][fname]!r}")
    assert not lost, "the upgrade lost data:\n" + "\n".join(sorted(set(lost))[:80])
    assert before["models"]["spm.visit"], "no visit to carry over"


def test_upgrade_migrations(upgraded):
    before, after, _seconds = upgraded
    wrong = []
    for model, which, fname, value in MIGRATION_CHECKS:
        old = before["models"][model]
        ids = [rid for rid, values in old.items() if which(values)]
        assert ids, f"no {model} record to check {fname} on"
        for rid in ids:
            record = after["models"][model].get(rid)
            if record is None or fname not in record:
                wrong.append(f"{model}.{fname} does not exist after the upgrade")
            elif record[fname] != value:
                wrong.append(f"{model}({rid}).{fname} is {record[fname]!r}, not {value!r}")
    assert not wrong, "\n".join(sorted(set(wrong)))


def _photo_errors(pid, photo, visit_id, old, files):
    """What is wrong with photo ``pid`` made of the old photo file ``old`` of the visit."""
    wrong = []
    expected = {
        "visit_id": visit_id,
        "name": old["name"],
        "taken_on": old["create_date"],
        "user_id": old["create_uid"],
        "position_source": "none",
        "location_status": "no_position",
    }
    for fname, value in expected.items():
        if photo[fname] != value:
            wrong.append(f"spm.visit.photo({pid}).{fname} is {photo[fname]!r}, not {value!r}")
    original = files[str(photo["attachment_id"])]
    if [original["res_model"], original["res_id"]] != ["spm.visit.photo", int(pid)]:
        wrong.append(
            f"ir.attachment({photo['attachment_id']}) belongs to "
            f"{original['res_model']}({original['res_id']}), not to its photo {pid}"
        )
    stamped = photo["stamped_attachment_id"]
    if old["image_size"] is None:
        # a file that is not an image is kept without a stamp
        if stamped:
            wrong.append(f"spm.visit.photo({pid}) of {old['name']} has a stamped copy")
        return wrong
    copy = files.get(str(stamped)) if stamped else None
    if not copy:
        return [*wrong, f"spm.visit.photo({pid}) of image {old['name']} has no stamped copy"]
    if stamped == photo["attachment_id"] or copy["image_size"] != old["image_size"]:
        wrong.append(
            f"spm.visit.photo({pid}): stamped copy {stamped} is {copy['image_size']}, "
            f"the original {old['image_size']}"
        )
    if [copy["res_model"], copy["res_id"]] != ["spm.visit.photo", int(pid)]:
        wrong.append(f"stamped copy {stamped} does not belong to its photo {pid}")
    return wrong


def test_upgrade_turns_visit_photos_into_photo_records(upgraded):
    before, after, _seconds = upgraded
    old_files = before["attachments"]
    linked = {
        int(visit_id): visit["photo_ids"]
        for visit_id, visit in before["models"]["spm.visit"].items()
        if visit["photo_ids"]
    }
    images = {
        old_files[str(aid)]["image_size"] is not None for ids in linked.values() for aid in ids
    }
    assert images == {True, False}, "no visit with an image and a file that is not one to upgrade"
    photos = after["models"]["spm.visit.photo"]
    wrong = []
    adopted = set()
    for visit_id, attachment_ids in linked.items():
        shown = after["models"]["spm.visit"][str(visit_id)]["photo_ids"]
        if shown != attachment_ids:
            wrong.append(f"spm.visit({visit_id}).photo_ids: {attachment_ids} -> {shown}")
        for aid in attachment_ids:
            mine = [pid for pid, photo in photos.items() if photo["attachment_id"] == aid]
            if len(mine) != 1:
                wrong.append(f"ir.attachment({aid}) is the original of photos {mine}, not of one")
                continue
            adopted.update(mine)
            wrong += _photo_errors(
                mine[0], photos[mine[0]], visit_id, old_files[str(aid)], after["attachments"]
            )
    # any other photo is the current version's demo data
    new_photos = _new_data(before, after).get("spm.visit.photo", set())
    strays = sorted(int(pid) for pid in set(photos) - adopted if int(pid) not in new_photos)
    if strays:
        wrong.append(f"photos {strays} are neither old photos nor new data")
    assert not wrong, "\n".join(wrong)


def test_upgrade_gives_every_company_the_default_service_levels(upgraded):
    before, after, _seconds = upgraded
    companies = set(before["models"]["res.company"])
    assert len(companies) > 1, "no second company to upgrade"
    levels = {}
    for sla in after["models"]["spm.service.sla"].values():
        levels.setdefault(str(sla["company_id"]), set()).add(
            (sla["priority"], sla["response_hours"], sla["resolution_hours"])
        )
    expected = {("3", 2.0, 8.0), ("2", 4.0, 16.0), ("1", 8.0, 40.0), ("0", 16.0, 80.0)}
    wrong = [
        f"res.company({cid}) has the service levels {sorted(levels.get(cid, ()))}"
        for cid in sorted(companies)
        if levels.get(cid) != expected
    ]
    assert not wrong, "\n".join(wrong)


def test_upgrade_scores_the_reps_of_the_old_database(upgraded):
    """The scorecard (a new SQL report over the old orders, invoices, opportunities and
    service requests) reads on the upgraded database."""
    _before, after, _seconds = upgraded
    assert "scorecard" in after, "the scorecard did not read after the upgrade"


def test_upgrade_reports_the_reps_day_from_the_old_visits(upgraded):
    """The daily report (a new model) reads the visits made before the upgrade: the
    three the demo rep planned today."""
    _before, after, _seconds = upgraded
    assert "daily_report" in after, "the daily report did not read after the upgrade"
    assert after["daily_report"]["visits"] >= 3, after["daily_report"]
    assert "Upgrade customer 0" in after["daily_report"]["summary"]


def test_upgrade_records_no_offline_action_on_old_visits(upgraded):
    before, after, _seconds = upgraded
    assert "spm.visit.action" in after["models"], "no log of actions recorded offline"
    old_visits = {int(rid) for rid in before["models"]["spm.visit"]}
    old_actions = {
        rid: action
        for rid, action in after["models"]["spm.visit.action"].items()
        if action["visit_id"] in old_visits
    }
    assert not old_actions, f"actions recorded offline on visits made before: {old_actions}"


def test_upgrade_renames_xml_ids_and_keeps_their_records(upgraded):
    before, after, _seconds = upgraded
    for old, new in RENAMED_XMLIDS.items():
        assert old in before["xmlids"], f"{old} did not exist in the previous version"
        assert old not in after["xmlids"], f"{old} is still there after the upgrade"
        assert after["xmlids"].get(new) == before["xmlids"][old], (
            f"{new} is {after['xmlids'].get(new)}, {old} was {before['xmlids'][old]}"
        )
    kept = {
        xmlid
        for xmlid, (model, _res_id) in before["xmlids"].items()
        if xmlid not in RENAMED_XMLIDS and model not in METADATA_MODELS
    }
    moved = {xmlid for xmlid in kept if after["xmlids"].get(xmlid) != before["xmlids"][xmlid]}
    assert not moved, f"XML ids that now point elsewhere or are gone: {sorted(moved)}"


def test_upgrade_keeps_the_scheduled_actions(upgraded):
    before, after, _seconds = upgraded
    assert before["crons"], "no scheduled action before the upgrade"
    for cron_id, cron in before["crons"].items():
        assert after["crons"].get(cron_id) == cron, (
            f"ir.cron({cron_id}) was {cron}, is {after['crons'].get(cron_id)}"
        )
    for cron in after["crons"].values():
        assert cron["active"], f"{cron['code']} is not active after the upgrade"
    # named as on a new install: ir_cron_spm_<job>, its server action after it
    crons = {xmlid for xmlid, (model, _id) in after["xmlids"].items() if model == "ir.cron"}
    assert crons and all(xmlid.startswith(f"{ADDON}.ir_cron_spm_") for xmlid in crons), crons
    for xmlid in crons:
        assert f"{xmlid}_ir_actions_server" in after["xmlids"], f"{xmlid}: no server action id"


def test_upgrade_renames_indexes(upgraded):
    before, after, _seconds = upgraded
    for old, new in RENAMED_INDEXES.items():
        assert old in before["indexes"], f"index {old} did not exist in the previous version"
        assert old not in after["indexes"], f"index {old} is still there after the upgrade"
        assert new in after["indexes"], f"index {new} is missing after the upgrade"


def test_upgrade_lists_the_addon_as_an_app_of_its_category(upgraded):
    _before, after, _seconds = upgraded
    assert after["category"] == CATEGORY
    assert after["application"]


# Run with ``odoo shell`` on the previous version with sale_stock installed: a stocked
# product, a delivery promised by the order's commitment date, one without a commitment
# date (then rescheduled), and one delivered; their values as JSON.
MAKE_DELIVERIES = """
import json, os
from datetime import datetime
from odoo import Command
product = env["product.product"].create(
    {"name": "Upgrade router", "type": "consu", "is_storable": True, "list_price": 400}
)
warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 100)
customer = env["res.partner"].create({"name": "Upgrade dealer", "is_company": True})
def order(commitment_date=None):
    order = env["sale.order"].create({
        "partner_id": customer.id,
        "commitment_date": commitment_date,
        "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 2})],
    })
    order.action_confirm()
    return order.picking_ids
committed = order(datetime(2026, 3, 10, 2, 0))
planned = order()
first_plan = str(planned.scheduled_date)
planned.scheduled_date = datetime(2026, 4, 1, 2, 0)
delivered = order(datetime(2030, 1, 1, 2, 0))
delivered.button_validate()
env.cr.commit()
with open(os.environ["SPM_DELIVERIES"], "w") as file:
    json.dump({
        "committed": committed.id,
        "planned": planned.id,
        "delivered": delivered.id,
        "delivered_state": delivered.state,
    }, file)
"""
READ_DELIVERIES = """
import json, os
ids = json.loads(open(os.environ["SPM_DELIVERIES"]).read())
pickings = {
    key: env["stock.picking"].browse(ids[key])
    for key in ("committed", "planned", "delivered")
}
with open(os.environ["SPM_DELIVERIES_AFTER"], "w") as file:
    json.dump({
        key: {
            "promised": str(picking.spm_promised_date),
            "scheduled": str(picking.scheduled_date),
            "on_time": picking.spm_on_time,
            "state": picking.state,
        }
        for key, picking in pickings.items()
    }, file)
"""


@pytest.fixture(scope="module")
def upgraded_with_deliveries():
    """(deliveries before, deliveries after) of a database of the previous version where
    sale_stock was installed before the upgrade, with deliveries in it."""
    db = f"{odoo.tools.config['db_name']}_upgrade_stock"
    tmp = Path(tempfile.mkdtemp(prefix="spm-upgrade-stock-"))
    previous = tmp / "previous"
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", PREVIOUS_COMMIT, ADDON],
        capture_output=True,
        check=True,
    )
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(previous / "odoo" / "addons", filter="data")
    files = {
        "SPM_DELIVERIES": str(tmp / "before.json"),
        "SPM_DELIVERIES_AFTER": str(tmp / "after.json"),
    }
    _drop(db)
    try:
        # the deliveries are made below: no demo data needed
        install = ["-d", db, "-i", f"{ADDON},sale_stock", "--without-demo=all", *BATCH_RUN]
        run_odoo(install, tmp / "install.log", previous)
        shell = ["shell", "-d", db, "--no-http", "--log-level", "warn"]
        run_odoo(shell, tmp / "data.log", previous, MAKE_DELIVERIES, files)
        run_odoo(["-d", db, "-u", ADDON, *BATCH_RUN], tmp / "upgrade.log")
        run_odoo(shell, tmp / "after.log", None, READ_DELIVERIES, files)
        yield (
            json.loads(Path(files["SPM_DELIVERIES"]).read_text()),
            json.loads(Path(files["SPM_DELIVERIES_AFTER"]).read_text()),
        )
        _drop(db)
        shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        print(f"logs of the delivery upgrade test kept in {tmp}, database {db}")
        raise


def test_upgrade_gives_existing_deliveries_their_promised_date(upgraded_with_deliveries):
    before, after = upgraded_with_deliveries
    # the order's commitment date is the promise
    assert after["committed"]["promised"] == "2026-03-10 02:00:00", after["committed"]
    # without one, the scheduled date the delivery has (its first plan is not kept by
    # the previous version)
    assert after["planned"]["promised"] == after["planned"]["scheduled"], after["planned"]
    # a delivery done before its promise was on time
    assert before["delivered_state"] == "done"
    assert after["delivered"]["promised"] == "2030-01-01 02:00:00"
    assert after["delivered"]["on_time"] is True
    assert after["committed"]["on_time"] is False
