"""The caption stamped on a visit photo (水印照片), drawn with Pillow.

``stamp(data, lines)`` returns a copy of the image ``data`` (bytes) of the same size, with
``lines`` of text on a dark band across its bottom: nothing above the band changes.
``read_image(data)`` opens and checks an image the way ``stamp`` needs it; both raise
``PhotoError`` for what cannot be stamped (not an image, too large, too small), which the
caller turns into a message for the user.

The caption needs a font with Chinese glyphs. ``caption_font_path()`` looks for one on
the machine: the usual paths of the Noto CJK, Source Han and WenQuanYi packages
(``fonts-noto-cjk`` on Debian and Ubuntu), else the fonts fontconfig lists for Simplified
Chinese (``fc-list :lang=zh-cn``) when it is installed. Without one, the caption is drawn
with Pillow's own font, which has no Chinese glyphs: its characters outside ASCII are
replaced by ``?`` and a warning is logged once; install ``fonts-noto-cjk`` to stamp
Chinese names.
"""

import functools
import io
import logging
import os
import shutil
import subprocess
import unicodedata

from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from odoo.tools.image import IMAGE_MAX_RESOLUTION

_logger = logging.getLogger(__name__)

# A phone photo is 2 to 8 MB; a file beyond this is no photo taken at a visit.
MAX_PHOTO_BYTES = 25 * 1024 * 1024
# Below this side, a caption is unreadable.
MIN_PHOTO_SIDE = 120
CJK_FONT_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/adobe-source-han-sans/SourceHanSansCN-Regular.otf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
# Formats kept as they are; any other image is stamped as PNG.
KEPT_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


class PhotoError(ValueError):
    """An image that cannot be stamped; ``args[0]`` is one of ``not_image``,
    ``too_large``, ``too_many_pixels``, ``too_small``."""


def _fc_list():
    """Files of the fonts fontconfig knows to draw Simplified Chinese."""
    if not shutil.which("fc-list"):
        return []
    try:
        result = subprocess.run(
            ["fc-list", "--format=%{file}\n", ":lang=zh-cn"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    # regular sans faces first
    return sorted(
        {line.strip() for line in result.stdout.splitlines() if line.strip()},
        key=lambda path: ("Bold" in path, "Serif" in path, path),
    )


def _loads(path):
    try:
        ImageFont.truetype(path, 12)
    except OSError:
        return False
    return True


@functools.cache
def caption_font_path():
    """The path of a font with Chinese glyphs on this machine, or ``None``."""
    for path in (*CJK_FONT_PATHS, *_fc_list()):
        if os.path.isfile(path) and _loads(path):
            return path
    _logger.warning(
        "No font with Chinese characters found (install fonts-noto-cjk): photo captions "
        "are stamped in ASCII only."
    )
    return None


@functools.cache
def _font_index(path):
    """The face of a font collection drawing Simplified Chinese (Noto's ``SC``)."""
    if not path.lower().endswith(".ttc"):
        return 0
    for index in range(8):
        try:
            family = ImageFont.truetype(path, 12, index=index).getname()[0]
        except OSError:
            break
        if " SC" in family or family.endswith("SC"):
            return index
    return 0


def _font(size):
    path = caption_font_path()
    if path:
        return ImageFont.truetype(path, size, index=_font_index(path)), True
    return ImageFont.load_default(size=size), False


def _ascii(text):
    return (
        unicodedata.normalize("NFKD", text).encode("ascii", "replace").decode("ascii")
        if not text.isascii()
        else text
    )


def _fit(draw, text, font, width):
    """``text``, cut with an ellipsis to fit ``width`` pixels."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(f"{text}…", font=font) > width:
        text = text[:-1]
    return f"{text}…"


def read_image(data):
    """The image of ``data`` (bytes), upright (EXIF orientation applied), and the
    format it is saved back in; ``PhotoError`` for what cannot be stamped."""
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoError("too_large")
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > IMAGE_MAX_RESOLUTION:
            raise PhotoError("too_many_pixels")
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise PhotoError("not_image") from error
    if min(image.size) < MIN_PHOTO_SIDE:
        raise PhotoError("too_small")
    image_format = image.format if image.format in KEPT_FORMATS else "PNG"
    return ImageOps.exif_transpose(image), image_format


def caption_band_height(size, line_count):
    """Height in pixels of the band holding ``line_count`` lines on an image of
    ``size`` (width, height): at most a third of the image."""
    font_size, padding = _metrics(size, line_count)
    return min(size[1] // 3, line_count * round(font_size * 1.35) + 2 * padding)


def _metrics(size, line_count):
    width, height = size
    font_size = max(10, min(width // 26, height // 3 // (line_count * 1.35 + 1)))
    return int(font_size), max(4, int(font_size // 2))


def stamp(data, lines):
    """``(bytes, mimetype)`` of a copy of the image ``data`` with ``lines`` on a band
    across its bottom, the same size as the upright original."""
    image, image_format = read_image(data)
    mode = "RGBA" if image_format in ("PNG", "WEBP") else "RGB"
    base = image.convert("RGBA")
    font_size, padding = _metrics(base.size, len(lines))
    font, cjk = _font(font_size)
    if not cjk:
        lines = [_ascii(line) for line in lines]
    band = caption_band_height(base.size, len(lines))
    overlay = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    top = base.height - band
    draw.rectangle((0, top, base.width, base.height), fill=(0, 0, 0, 150))
    line_height = (band - 2 * padding) / len(lines)
    for index, line in enumerate(lines):
        text = _fit(draw, line, font, base.width - 2 * padding)
        draw.text(
            (padding, top + padding + index * line_height),
            text,
            font=font,
            fill=(255, 255, 255, 255),
        )
    stamped = Image.alpha_composite(base, overlay).convert(mode)
    output = io.BytesIO()
    options = {"quality": 90} if image_format in ("JPEG", "WEBP") else {}
    stamped.save(output, format=image_format, **options)
    return output.getvalue(), KEPT_FORMATS[image_format]
