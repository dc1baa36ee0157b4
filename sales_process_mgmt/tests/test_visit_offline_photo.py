import base64
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import SQL

from ..models.spm_visit_photo import MAX_KEPT_PHOTO_BYTES
from .common_visit import SHOP, SpmVisitCommon
from .test_visit_photo import NEAR_SHOP, image_data, open_image

# 12:00 in Shanghai, where the rep works
NOW = datetime(2026, 3, 2, 4, 0)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestVisitOfflinePhoto(SpmVisitCommon):
    """Photos taken in a visit's Photos on a phone without network, sent later after
    the check-in they follow."""

    def setUp(self):
        super().setUp()
        self.visit = self._visit(outcome="Met the owner")
        # planned yesterday
        self.env.cr.execute(
            SQL(
                "UPDATE spm_visit SET create_date = %s WHERE id = %s",
                datetime(2026, 3, 1, 9, 0),
                self.visit.id,
            )
        )
        self.visit.invalidate_recordset(["create_date"])
        self.Replay = self.env["spm.visit"].with_user(self.rep)

    def _replay(self, key, device_time, kind="check_in", position=NEAR_SHOP, visit=None, **kw):
        return self.Replay.spm_replay_action(
            key,
            kind,
            (visit or self.visit).id,
            device_time,
            latitude=position[0] if position else None,
            longitude=position[1] if position else None,
            **kw,
        )

    def _replay_photo(self, key, device_time, image=None, **kw):
        return self._replay(key, device_time, kind="photo", image=image or image_data(), **kw)

    def _checked_in(self):
        """Checked in at 10:10 in Shanghai, the check-in kept on the phone."""
        self._replay("k-in", "2026-03-02 02:10:00")

    # the photo
    def test_a_photo_kept_on_the_phone_is_added_after_its_check_in(self):
        self._checked_in()
        result = self._replay_photo("k-photo", "2026-03-02 02:20:00", name="Shelf")
        photo = self.visit.visit_photo_ids
        self.assertEqual(len(photo), 1)
        self.assertEqual(photo.name, "Shelf")
        self.assertEqual(photo.taken_on, NOW, "the server's time")
        self.assertEqual(photo.device_time, datetime(2026, 3, 2, 2, 20))
        self.assertEqual(photo.user_id, self.rep)
        self.assertEqual(photo.position_source, "check_in")
        self.assertAlmostEqual(photo.latitude, NEAR_SHOP[0], places=6)
        self.assertAlmostEqual(photo.distance_m, 22, delta=1)
        self.assertEqual(photo.location_status, "verified")
        self.assertTrue(photo.stamped_attachment_id)
        self.assertEqual(result["kind"], "photo")
        self.assertEqual(result["photo_id"], photo.id)
        self.assertFalse(result["duplicate"])
        action = self.visit.spm_offline_action_ids.filtered(lambda a: a.kind == "photo")
        self.assertEqual(action.photo_id, photo)
        self.assertEqual(action.device_time, datetime(2026, 3, 2, 2, 20))
        self.assertEqual(action.received_time, NOW)
        self.assertEqual(action.result, "applied")
        body = self.visit.message_ids[0].body
        self.assertIn("added", body)
        self.assertIn("Recorded offline: device time", body)

    def test_the_stamp_of_a_photo_kept_on_the_phone_gives_both_times(self):
        self._checked_in()
        self._replay_photo("k-photo", "2026-03-02 02:20:00")
        photo = self.visit.visit_photo_ids
        __, moment, position, __ = photo._spm_caption()
        # Shanghai time: received at 12:00, taken at 10:20
        self.assertEqual(moment, "2026-03-02 12:00 (CST) · taken offline 2026-03-02 10:20")
        self.assertIn("22 m", position)
        original = open_image(photo.attachment_id)
        self.assertEqual(open_image(photo.stamped_attachment_id).size, original.size)

    def test_a_photo_taken_online_has_no_device_time(self):
        self.visit.with_user(self.rep).action_check_in(*SHOP)
        photo = (
            self.env["spm.visit.photo"]
            .with_user(self.rep)
            .create({"visit_id": self.visit.id, "image": image_data()})
        )
        self.assertFalse(photo.device_time)
        self.assertNotIn("offline", photo._spm_caption()[1])

    def test_photos_and_check_out_replay_in_order(self):
        self._checked_in()
        self._replay_photo("k-photo", "2026-03-02 02:20:00")
        far = (SHOP[0] + 0.005, SHOP[1])
        self._replay("k-out", "2026-03-02 02:40:00", kind="check_out", position=far)
        self._replay_photo("k-photo-2", "2026-03-02 02:45:00")
        first, second = self.visit.visit_photo_ids.sorted("id")
        self.assertEqual(first.position_source, "check_in")
        self.assertEqual(second.position_source, "check_out")
        self.assertEqual(second.location_status, "too_far")
        self.assertEqual(self.visit.state, "done")

    # exactly once
    def test_a_duplicate_photo_replay_adds_one_photo(self):
        self._checked_in()
        first = self._replay_photo("k-photo", "2026-03-02 02:20:00")
        with freeze_time("2026-03-02 04:05:00"):
            again = self._replay_photo("k-photo", "2026-03-02 02:20:00")
        self.assertEqual(again, {**first, "duplicate": True})
        self.assertEqual(len(self.visit.visit_photo_ids), 1)

    def test_a_key_of_a_check_in_is_not_taken_again_by_a_photo(self):
        self._checked_in()
        with self.assertRaisesRegex(UserError, "The key k-in was already used for another action"):
            self._replay_photo("k-in", "2026-03-02 02:20:00")
        self.assertFalse(self.visit.visit_photo_ids)

    def test_the_log_outlives_a_photo_a_manager_deleted(self):
        self._checked_in()
        self._replay_photo("k-photo", "2026-03-02 02:20:00")
        self.visit.visit_photo_ids.with_user(self.manager).unlink()
        action = self.visit.spm_offline_action_ids.filtered(lambda a: a.kind == "photo")
        action.invalidate_recordset()
        self.assertTrue(action.exists())
        self.assertFalse(action.photo_id)
        self.assertFalse(self.visit.visit_photo_ids)

    # refused
    def test_a_photo_replayed_before_its_check_in_is_refused(self):
        with self.assertRaisesRegex(UserError, "Check in at the customer first"):
            self._replay_photo("k-photo", "2026-03-02 02:20:00")
        self.assertFalse(self.visit.visit_photo_ids)
        self.assertFalse(self.visit.spm_offline_action_ids)

    def test_a_photo_older_than_the_setting_is_refused(self):
        self._checked_in()
        with self.assertRaisesRegex(
            UserError, r"The Photo of visit .* kept on the phone is dated .*more than 24 hours"
        ):
            self._replay_photo("k-photo", "2026-03-01 03:59:00")
        self.assertFalse(self.visit.visit_photo_ids)

    def test_a_photo_dated_in_the_future_is_refused(self):
        self._checked_in()
        with self.assertRaisesRegex(UserError, "the phone's clock is wrong"):
            self._replay_photo("k-photo", "2026-03-02 04:10:00")
        self.assertFalse(self.visit.visit_photo_ids)

    def test_a_photo_larger_than_what_the_phone_keeps_is_refused(self):
        self._checked_in()
        too_large = "A" * ((MAX_KEPT_PHOTO_BYTES // 3 + 2) * 4)
        with self.assertRaisesRegex(UserError, "is larger than 3 MB"):
            self._replay_photo("k-photo", "2026-03-02 02:20:00", image=too_large)
        self.assertFalse(self.visit.visit_photo_ids)
        self.assertFalse(self.visit.spm_offline_action_ids.filtered(lambda a: a.kind == "photo"))

    def test_bad_kept_photos_are_refused(self):
        self._checked_in()
        not_an_image = base64.b64encode(b"%PDF-1.4 not a photo").decode()
        cases = [
            (None, UserError, "Take or choose a photo"),
            ("not base64 at all!", UserError, "not valid base64"),
            (not_an_image, UserError, "is not an image"),
            (["x"], UserError, "must be sent as a base64 text"),
            (image_data((60, 60)), UserError, "smaller than 120"),
        ]
        for index, (image, error, message) in enumerate(cases):
            with self.subTest(image=str(image)[:20]), self.assertRaisesRegex(error, message):
                self._replay(f"k-photo-{index}", "2026-03-02 02:20:00", kind="photo", image=image)
        with self.assertRaisesRegex(ValidationError, "Description"):
            self._replay_photo("k-photo-name", "2026-03-02 02:20:00", name=["Shelf"])
        self.assertFalse(self.visit.visit_photo_ids)

    # access
    def test_a_photo_kept_for_another_reps_visit_is_refused(self):
        other = self._visit(user=self.rep_colleague)
        with self.assertRaises(AccessError):
            self._replay_photo("k-photo", "2026-03-02 02:20:00", visit=other)

    def test_a_client_cannot_give_a_photo_a_device_time(self):
        self.visit.with_user(self.rep).action_check_in(*SHOP)
        with self.assertRaisesRegex(AccessError, "Taken Offline At"):
            self.env["spm.visit.photo"].with_user(self.rep).create(
                {
                    "visit_id": self.visit.id,
                    "image": image_data(),
                    "device_time": "2026-03-02 02:20:00",
                }
            )
