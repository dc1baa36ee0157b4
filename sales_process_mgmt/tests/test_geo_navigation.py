from urllib.parse import parse_qs, urlsplit

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common_geo import PARIS, SpmGeoCommon, bd09, gcj02
from .common_visit import SHOP


def split(url):
    """(scheme://host/path, {parameter: value}) of a link."""
    parts = urlsplit(url)
    params = {name: values[0] for name, values in parse_qs(parts.query).items()}
    return f"{parts.scheme}://{parts.netloc}{parts.path}", params


def position(text, lon_first=False):
    first, second = (float(value) for value in text.split(","))
    return (second, first) if lon_first else (first, second)


@tagged("post_install", "-at_install")
class TestGeoNavigation(SpmGeoCommon):
    """Navigate opens the customer in the rep's map app, in a datum that app takes."""

    def setUp(self):
        super().setUp()
        self.visit = self._visit()

    def _url(self, app, partner=None):
        self.rep.spm_map_app = app
        # a preference is read once per request
        self.env.invalidate_all()
        return split((partner or self.customer).with_user(self.rep).spm_navigate_url)

    def assertPosition(self, found, expected):
        self.assertDistance(found, expected, 0, delta=0.2)

    # Amap: GCJ-02 ("gaode") or WGS-84, named in the link
    def test_amap_link_of_a_gcj02_customer(self):
        self._pin(self.customer, gcj02(SHOP), "gcj02")
        base, params = self._url("amap")
        self.assertEqual(base, "https://uri.amap.com/marker")
        self.assertEqual(params["coordinate"], "gaode")
        self.assertPosition(position(params["position"], lon_first=True), gcj02(SHOP))
        self.assertEqual(params["name"], "Nanjing Road Outlet")
        self.assertEqual(params["callnative"], "1")

    def test_amap_link_of_a_wgs84_customer_says_wgs84(self):
        _base, params = self._url("amap")
        self.assertEqual(params["coordinate"], "wgs84")
        self.assertPosition(position(params["position"], lon_first=True), SHOP)

    def test_amap_link_of_a_bd09_customer_is_converted_to_gcj02(self):
        self._pin(self.customer, bd09(SHOP), "bd09")
        _base, params = self._url("amap")
        self.assertEqual(params["coordinate"], "gaode")
        self.assertPosition(position(params["position"], lon_first=True), gcj02(SHOP))

    # Baidu: all three, named in coord_type
    def test_baidu_link_names_the_customer_datum(self):
        for datum, pinned, coord_type in (
            ("wgs84", SHOP, "wgs84"),
            ("gcj02", gcj02(SHOP), "gcj02"),
            ("bd09", bd09(SHOP), "bd09ll"),
        ):
            self._pin(self.customer, pinned, datum)
            base, params = self._url("baidu")
            self.assertEqual(base, "https://api.map.baidu.com/marker")
            self.assertEqual(params["coord_type"], coord_type)
            self.assertPosition(position(params["location"]), pinned)
            self.assertEqual(params["output"], "html")
            self.assertEqual(params["title"], "Nanjing Road Outlet")
            self.assertTrue(params["src"].startswith("webapp."))

    # Apple and Google: no datum parameter, GCJ-02 maps in China
    def test_apple_and_google_links_are_in_gcj02_in_china(self):
        for datum, pinned in (("wgs84", SHOP), ("gcj02", gcj02(SHOP)), ("bd09", bd09(SHOP))):
            self._pin(self.customer, pinned, datum)
            base, params = self._url("apple")
            self.assertEqual(base, "https://maps.apple.com/")
            self.assertPosition(position(params["ll"]), gcj02(SHOP))
            self.assertEqual(params["q"], "Nanjing Road Outlet")
            base, params = self._url("google")
            self.assertEqual(base, "https://www.google.com/maps/search/")
            self.assertEqual(params["api"], "1")
            self.assertPosition(position(params["query"]), gcj02(SHOP))

    def test_links_outside_china_are_the_coordinates_as_they_are(self):
        self._pin(self.customer, PARIS, "wgs84")
        self.assertPosition(position(self._url("apple")[1]["ll"]), PARIS)
        self.assertPosition(position(self._url("google")[1]["query"]), PARIS)
        self.assertPosition(position(self._url("amap")[1]["position"], lon_first=True), PARIS)

    def test_chinese_name_is_encoded_in_the_link(self):
        self.customer.name = "南京路门店"
        url = self.customer.with_user(self.rep).spm_navigate_url
        self.assertIn("name=%E5%8D%97", url)
        self.assertEqual(split(url)[1]["name"], "南京路门店")

    # On the visit
    def test_visit_link_follows_the_rep_map_app(self):
        self.rep.spm_map_app = "baidu"
        visit = self.visit.with_user(self.rep)
        self.assertTrue(visit.spm_navigate_url.startswith("https://api.map.baidu.com/marker?"))
        self.rep_colleague.spm_map_app = "google"
        self.env.invalidate_all()
        # each rep sees the link of his own app
        colleague_view = self.customer.with_user(self.rep_colleague)
        self.assertTrue(colleague_view.spm_navigate_url.startswith("https://www.google.com/"))

    def test_navigate_opens_the_link_in_a_new_tab_or_app(self):
        action = self.visit.with_user(self.rep).action_spm_navigate()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(action["target"], "new")
        self.assertEqual(action["url"], self.visit.with_user(self.rep).spm_navigate_url)
        customer_action = self.customer.with_user(self.rep).action_spm_navigate()
        self.assertEqual(customer_action["url"], action["url"])

    def test_navigate_to_a_customer_without_location_is_refused(self):
        visit = self._visit(partner=self.dealer).with_user(self.rep)
        self.assertFalse(visit.spm_navigate_url)
        with self.assertRaisesRegex(UserError, "Huatong Electronics has no location to navigate"):
            visit.action_spm_navigate()

    # The map app, in the rep's preferences
    def test_rep_chooses_the_map_app_in_the_preferences(self):
        self.rep.with_user(self.rep).write({"spm_map_app": "apple"})
        self.assertEqual(self.rep.spm_map_app, "apple")
        self.assertIn("spm_map_app", self.rep.with_user(self.rep).read(["spm_map_app"])[0])

    def test_rep_cannot_choose_the_map_app_of_another_user(self):
        with self.assertRaises(AccessError):
            self.rep_colleague.with_user(self.rep).write({"spm_map_app": "apple"})

    def test_map_app_not_in_the_list_is_refused(self):
        for value in ("tencent", 1, ["amap"]):
            with self.assertRaisesRegex(ValidationError, "Map App of .* must be one of amap"):
                self.rep.with_user(self.rep).write({"spm_map_app": value})
