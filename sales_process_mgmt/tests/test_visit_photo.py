import base64
import io
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time
from PIL import Image, ImageChops

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models import spm_photo_stamp, spm_visit_photo
from .common_visit import SHOP, SpmVisitCommon

# about 22 m north of the shop
NEAR_SHOP = (SHOP[0] + 0.0002, SHOP[1])
# about 550 m north of the shop
FAR_FROM_SHOP = (SHOP[0] + 0.005, SHOP[1])


def image_data(size=(400, 300), image_format="PNG", color=(40, 120, 200), exif=None):
    """Base64 of a plain image."""
    output = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, color).save(output, format=image_format, **options)
    return base64.b64encode(output.getvalue()).decode()


def open_image(attachment):
    return Image.open(io.BytesIO(attachment.sudo().raw))


@tagged("post_install", "-at_install")
class TestVisitPhoto(SpmVisitCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep.name = "王芳"
        cls.customer.name = "南京路门店"
        cls.visit = cls._visit()
        cls.Photo = cls.env["spm.visit.photo"]

    def _check_in(self, visit=None, position=NEAR_SHOP):
        (visit or self.visit).with_user(self.rep).action_check_in(*position)

    def _add_photo(self, visit=None, user=None, data=None, **vals):
        return self.Photo.with_user(user or self.rep).create(
            {"visit_id": (visit or self.visit).id, "image": data or image_data(), **vals}
        )

    # ------------------------------------------------------------------
    # What a photo records
    # ------------------------------------------------------------------

    def test_photo_records_server_time_check_in_position_and_distance(self):
        with freeze_time("2026-03-02 02:10:00"):
            self._check_in()
        with freeze_time("2026-03-02 02:25:00"):
            photo = self._add_photo(name="Shelf")
        self.assertEqual(photo.taken_on, datetime(2026, 3, 2, 2, 25))
        self.assertEqual(photo.user_id, self.rep)
        self.assertEqual(photo.position_source, "check_in")
        self.assertAlmostEqual(photo.latitude, NEAR_SHOP[0], places=6)
        self.assertAlmostEqual(photo.longitude, NEAR_SHOP[1], places=6)
        self.assertAlmostEqual(photo.distance_m, self.visit.check_in_distance_m, places=1)
        self.assertAlmostEqual(photo.distance_m, 22, delta=1)
        self.assertEqual(photo.location_status, "verified")
        self.assertEqual(photo.name, "Shelf")

    def test_photo_after_check_out_takes_the_check_out_position(self):
        self._check_in()
        self.visit.with_user(self.rep).outcome = "Order taken"
        self.visit.with_user(self.rep).action_check_out(*FAR_FROM_SHOP)
        photo = self._add_photo()
        self.assertEqual(photo.position_source, "check_out")
        self.assertAlmostEqual(photo.latitude, FAR_FROM_SHOP[0], places=6)
        self.assertAlmostEqual(photo.distance_m, 556, delta=5)
        self.assertEqual(photo.location_status, "too_far")

    def test_photo_of_a_visit_checked_in_without_position_has_none(self):
        self.visit.with_user(self.rep).action_check_in()
        photo = self._add_photo()
        self.assertEqual(photo.position_source, "none")
        self.assertEqual(photo.location_status, "no_position")
        self.assertIn("No position", photo._spm_caption()[2])

    def test_the_original_is_kept_as_taken(self):
        self._check_in()
        data = image_data()
        photo = self._add_photo(data=data)
        self.assertEqual(photo.attachment_id.sudo().datas.decode(), data)
        self.assertEqual(photo.attachment_id.res_model, "spm.visit.photo")
        self.assertEqual(photo.attachment_id.res_id, photo.id)
        self.assertEqual(self.visit.photo_ids, photo.attachment_id)
        self.assertEqual(self.visit.photo_count, 1)

    # ------------------------------------------------------------------
    # The stamp
    # ------------------------------------------------------------------

    def test_stamped_copy_differs_only_in_the_caption_band_and_keeps_its_size(self):
        self._check_in()
        photo = self._add_photo()
        original = open_image(photo.attachment_id)
        stamped = open_image(photo.stamped_attachment_id)
        self.assertEqual(stamped.size, original.size)
        band = spm_photo_stamp.caption_band_height(original.size, 4)
        __, top, __, bottom = ImageChops.difference(
            original.convert("RGB"), stamped.convert("RGB")
        ).getbbox()
        self.assertGreaterEqual(top, original.height - band)
        self.assertEqual(bottom, original.height)
        self.assertEqual(photo.stamped_attachment_id.mimetype, "image/png")
        self.assertEqual(photo.stamped_attachment_id.res_id, photo.id)

    def test_caption_names_customer_local_time_position_and_rep(self):
        with freeze_time("2026-03-02 02:10:00"):
            self._check_in()
            photo = self._add_photo()
        customer, moment, position, rep = photo._spm_caption()
        self.assertEqual(customer, "南京路门店")
        self.assertEqual(moment, "2026-03-02 10:10 (CST)")  # Shanghai time
        self.assertIn(f"{NEAR_SHOP[0]:.6f}, {NEAR_SHOP[1]:.6f}", position)
        self.assertIn("22 m", position)
        self.assertIn("王芳", rep)
        self.assertIn(self.visit.name, rep)

    def _stamped_caption(self):
        """The lines the stamp of a new photo was drawn with."""
        self._check_in()
        with patch.object(spm_visit_photo, "stamp", wraps=spm_photo_stamp.stamp) as stamp:
            self._add_photo()
        return stamp.call_args.args[1]

    def test_caption_speaks_the_language_of_the_rep(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.rep.lang = "zh_CN"
        caption = self._stamped_caption()
        self.assertEqual(caption[0], "南京路门店")
        self.assertIn("距客户 22 米", caption[2])

    def test_caption_speaks_the_language_of_the_company_when_the_rep_has_none(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.rep.lang = False
        self.company.partner_id.lang = "zh_CN"
        self.assertIn("距客户 22 米", self._stamped_caption()[2])

    def test_caption_stays_english_for_an_english_speaking_rep(self):
        self.assertIn("22 m from the customer", self._stamped_caption()[2])

    def test_jpeg_stays_jpeg_and_is_stamped_upright(self):
        self._check_in()
        exif = Image.Exif()
        exif[0x0112] = 6  # taken with the phone on its side: rotate 90° to view
        photo = self._add_photo(data=image_data((400, 300), "JPEG", exif=exif.tobytes()))
        stamped = open_image(photo.stamped_attachment_id)
        self.assertEqual(stamped.format, "JPEG")
        self.assertEqual(stamped.size, (300, 400))

    def test_caption_without_a_chinese_font_falls_back_to_ascii(self):
        self._check_in()
        with (
            patch.object(spm_photo_stamp, "caption_font_path", return_value=None),
            patch.object(spm_photo_stamp, "_ascii", wraps=spm_photo_stamp._ascii) as ascii_,
        ):
            photo = self._add_photo()
        self.assertTrue(photo.stamped_attachment_id)
        self.assertTrue(any(call.args[0] == "南京路门店" for call in ascii_.call_args_list))
        self.assertEqual(spm_photo_stamp._ascii("南京路 Outlet"), "??? Outlet")

    def test_a_chinese_font_is_found_on_this_machine(self):
        path = spm_photo_stamp.caption_font_path()
        if path is None:
            self.skipTest("no font with Chinese characters installed (fonts-noto-cjk)")
        font, cjk = spm_photo_stamp._font(20)
        self.assertTrue(cjk)
        self.assertGreater(font.getlength("南京路"), 0)

    # ------------------------------------------------------------------
    # Refusals and bad input
    # ------------------------------------------------------------------

    def test_a_file_that_is_not_an_image_is_refused(self):
        self._check_in()
        text = base64.b64encode(b"%PDF-1.4 not a photo").decode()
        with self.assertRaisesRegex(UserError, "is not an image"):
            self._add_photo(data=text)

    def test_a_stamp_requested_for_a_non_image_attachment_is_refused(self):
        self._check_in()
        photo = self._add_photo()
        photo.attachment_id.sudo().raw = b"name,qty\nphone,3\n"
        with self.assertRaisesRegex(UserError, "is not an image"):
            photo._spm_stamp()

    def test_a_tiny_image_is_refused(self):
        self._check_in()
        with self.assertRaisesRegex(UserError, "smaller than 120"):
            self._add_photo(data=image_data((60, 60)))

    def test_an_oversized_file_is_refused(self):
        self._check_in()
        with (
            patch.object(spm_photo_stamp, "MAX_PHOTO_BYTES", 100),
            self.assertRaisesRegex(UserError, "larger than"),
        ):
            self._add_photo()

    def test_a_photo_needs_an_image(self):
        self._check_in()
        with self.assertRaisesRegex(UserError, "Take or choose a photo"):
            self.Photo.with_user(self.rep).create({"visit_id": self.visit.id})

    def test_bad_base64_is_refused(self):
        self._check_in()
        with self.assertRaises(UserError):
            self._add_photo(data="not base64 at all!")
        with self.assertRaises(UserError):
            self._add_photo(data=12345)

    def test_a_photo_before_check_in_is_refused(self):
        with self.assertRaisesRegex(UserError, "Check in at the customer first"):
            self._add_photo()
        self.visit.action_cancel()
        with self.assertRaisesRegex(UserError, "Cancelled"):
            self._add_photo()

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------

    def test_the_proof_of_a_photo_cannot_be_sent_by_a_client(self):
        self._check_in()
        with self.assertRaisesRegex(AccessError, "Taken On"):
            self._add_photo(taken_on="2026-01-01 00:00:00")
        with self.assertRaisesRegex(AccessError, "Latitude"):
            self._add_photo(latitude=NEAR_SHOP[0])
        with self.assertRaisesRegex(AccessError, "Taken By"):
            self._add_photo(user_id=self.rep_colleague.id)
        with self.assertRaisesRegex(AccessError, "Stamped Copy"):
            attachment = self.env["ir.attachment"].create({"name": "fake", "raw": b"x"})
            self._add_photo(stamped_attachment_id=attachment.id)

    def test_rep_cannot_change_or_delete_a_photo(self):
        self._check_in()
        photo = self._add_photo(name="Shelf")
        photo = photo.with_user(self.rep)
        self.assertEqual(photo.stamped_image, photo.sudo().stamped_image)
        with self.assertRaises(AccessError):
            photo.name = "Another shelf"
        with self.assertRaises(AccessError):
            photo.write({"taken_on": "2026-01-01 00:00:00"})
        with self.assertRaises(AccessError):
            photo.write({"image": image_data(color=(0, 0, 0))})
        with self.assertRaises(AccessError):
            photo.unlink()

    def test_rep_cannot_alter_the_photo_files(self):
        self._check_in()
        photo = self._add_photo()
        original = photo.attachment_id.with_user(self.rep)
        self.assertTrue(original.raw)
        with self.assertRaises(AccessError):
            original.raw = b"edited"
        with self.assertRaises(AccessError):
            photo.stamped_attachment_id.with_user(self.rep).unlink()
        with self.assertRaises(AccessError):
            self.env["ir.attachment"].with_user(self.rep).create(
                {"name": "extra", "raw": b"x", "res_model": photo._name, "res_id": photo.id}
            )

    def test_nobody_rewrites_the_proof_of_a_photo(self):
        self._check_in()
        photo = self._add_photo()
        other_visit = self._visit()
        with self.assertRaisesRegex(AccessError, "Taken On"):
            photo.with_user(self.manager).write({"taken_on": "2026-01-01 00:00:00"})
        with self.assertRaisesRegex(AccessError, "Visit"):
            photo.with_user(self.manager).write({"visit_id": other_visit.id})
        with self.assertRaisesRegex(UserError, "never replaced"):
            photo.with_user(self.manager).write({"image": image_data(color=(0, 0, 0))})

    def test_another_rep_cannot_add_a_photo_to_my_visit(self):
        self._check_in()
        with self.assertRaises(AccessError):
            self._add_photo(user=self.rep_colleague)
        with self.assertRaises(AccessError):
            self.visit.with_user(self.rep_colleague).write(
                {"visit_photo_ids": [(0, 0, {"image": image_data()})]}
            )

    def test_another_rep_does_not_see_the_photos_of_a_visit_he_cannot_read(self):
        self._check_in()
        photo = self._add_photo()
        self.assertFalse(self.Photo.with_user(self.rep_colleague).search([("id", "=", photo.id)]))
        with self.assertRaises(AccessError):
            photo.attachment_id.with_user(self.rep_colleague).raw  # noqa: B018

    def test_manager_deletes_a_photo_and_the_visit_says_so(self):
        self._check_in()
        photo = self._add_photo()
        attachments = photo.attachment_id | photo.stamped_attachment_id
        photo.with_user(self.manager).unlink()
        self.assertFalse(attachments.exists())
        self.assertIn("deleted by", self.visit.message_ids[0].body)
        self.assertFalse(self.visit.photo_ids)

    def test_files_linked_before_photos_were_records_become_photos(self):
        """What the upgrade does with the visits' former photo attachments."""
        self._check_in()
        Attachment = self.env["ir.attachment"]
        image = Attachment.create(
            {"name": "shelf.png", "datas": image_data(), "res_model": "spm.visit"}
        )
        sheet = Attachment.create({"name": "notes.txt", "raw": b"notes", "res_model": "spm.visit"})
        with self.assertLogs("odoo.addons.sales_process_mgmt.models.spm_visit_photo", "WARNING"):
            photos = self.Photo._spm_adopt([(self.visit.id, image.id), (self.visit.id, sheet.id)])
        self.assertEqual(photos.attachment_id, image | sheet)
        self.assertEqual(set(photos.mapped("position_source")), {"none"})
        self.assertEqual(photos[0].taken_on, image.create_date)
        self.assertTrue(photos[0].stamped_attachment_id)
        self.assertFalse(photos[1].stamped_attachment_id)  # not an image: kept as it is
        self.assertEqual(set(photos.attachment_id.mapped("res_model")), {"spm.visit.photo"})
        self.assertEqual(self.visit.photo_ids, image | sheet)

    def test_a_photo_without_its_visit_is_refused(self):
        with self.assertRaisesRegex(UserError, "open the visit first"):
            self.Photo.with_user(self.rep).create({"image": image_data()})
        with self.assertRaisesRegex(UserError, "Visit"):
            self.Photo.with_user(self.rep).create({"visit_id": "one", "image": image_data()})
