"""Screenshot a page of the running demo as a given user, at desktop or phone width.

    .venv/bin/python tools/screenshot.py URL_PATH OUT.png [--login rep --password rep]
        [--width 390 --height 844] [--click CSS]... [--wait 4] [--colors 256]

URL_PATH is relative to http://localhost:8069 (e.g. "/odoo/action-sales_process_mgmt.
spm_partner_archive_action"). Each --click is a CSS selector clicked in order, with a
pause after each, before the screenshot. Uses headless Chromium over its DevTools
protocol, so what it shows is what a user's browser shows. The page is taken once the
view is drawn and nothing loads any more; the PNG is then reduced to a palette of
--colors colours (small files for the Apps page and README; 0 keeps full colour).
"""

import argparse
import base64
import io
import json
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

import requests
import websocket
from PIL import Image


def login(args):
    response = requests.post(
        f"{args.base}/web/session/authenticate",
        json={"params": {"db": args.db, "login": args.login, "password": args.password}},
        timeout=30,
    )
    response.raise_for_status()
    return response.cookies["session_id"]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_browser(profile, port):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    flags = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"]
    flags += ["--disable-background-networking", "--disable-component-update", "--disable-sync"]
    proc = subprocess.Popen(
        [browser, *flags, f"--user-data-dir={profile}", f"--remote-debugging-port={port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(50):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json") as resp:
                pages = [p for p in json.load(resp) if p["type"] == "page"]
            if pages:
                return proc, pages[0]["webSocketDebuggerUrl"]
        except OSError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise SystemExit("Chromium did not start")


class DevTools:
    def __init__(self, url):
        self.ws = websocket.create_connection(url, suppress_origin=True)
        self.last_id = 0

    def call(self, method, **params):
        self.last_id += 1
        self.ws.send(json.dumps({"id": self.last_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.last_id:
                return msg.get("result", {})


CLICK = "(e => { e?.scrollIntoView(); e?.click(); })(document.querySelector(%s))"
# A view is drawn and nothing loads: no spinner, no blocked UI, no pending request.
READY = """!!document.querySelector('.o_action_manager .o_view_controller')
    && !document.querySelector('.o_loading_indicator, .o_blockUI, .o_spinner, .fa-spin')
    && document.readyState === 'complete'"""


def wait_ready(tools, timeout):
    end = time.time() + timeout
    while time.time() < end:
        answer = tools.call("Runtime.evaluate", expression=READY, returnByValue=True)
        if answer.get("result", {}).get("value"):
            return True
        time.sleep(0.5)
    return False


def shrink(png, colors):
    if not colors:
        return png
    image = Image.open(io.BytesIO(png)).convert("RGB")
    no_dither = getattr(Image, "Dither", Image).NONE  # Image.NONE before Pillow 9.1
    image = image.quantize(colors=colors, dither=no_dither)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("out")
    parser.add_argument("--base", default="http://localhost:8069")
    parser.add_argument("--db", default="spm_demo")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--click", action="append", default=[])
    parser.add_argument("--wait", type=float, default=4, help="pause once the view is drawn")
    parser.add_argument("--timeout", type=float, default=60, help="longest wait for the view")
    parser.add_argument("--colors", type=int, default=256)
    parser.add_argument("--tz", default="Asia/Shanghai", help="the browser's timezone")
    args = parser.parse_args()

    sid = login(args)
    profile = tempfile.mkdtemp()
    proc, ws_url = start_browser(profile, port=free_port())
    try:
        tools = DevTools(ws_url)
        mobile = args.width < 768
        tools.call(
            "Emulation.setDeviceMetricsOverride",
            width=args.width,
            height=args.height,
            deviceScaleFactor=1,
            mobile=mobile,
        )
        if mobile:
            tools.call("Emulation.setTouchEmulationEnabled", enabled=True)
        tools.call("Emulation.setTimezoneOverride", timezoneId=args.tz)
        host = args.base.split("//")[1].split(":")[0]
        tools.call("Network.setCookie", name="session_id", value=sid, domain=host, path="/")
        tools.call("Page.navigate", url=args.base + args.path)
        if not wait_ready(tools, args.timeout):
            raise SystemExit(f"{args.path}: no view drawn within {args.timeout:.0f} s")
        time.sleep(args.wait)
        for selector in args.click:
            tools.call("Runtime.evaluate", expression=CLICK % json.dumps(selector))
            time.sleep(2)
            wait_ready(tools, args.timeout)
        shot = tools.call("Page.captureScreenshot", format="png")
        png = shrink(base64.b64decode(shot["data"]), args.colors)
        with open(args.out, "wb") as out:
            out.write(png)
        print(f"{args.out} ({len(png) // 1024} KB)")
    finally:
        proc.terminate()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
