/**
 * A photo to keep on the phone without network, reduced: 1600 px on its longer side is
 * enough for a stamped proof, and a day of photos then fits the browser's storage and
 * goes up quickly once a weak network returns. The server refuses a kept photo larger
 * than KEPT_PHOTO_MAX_BYTES (MAX_KEPT_PHOTO_BYTES in models/spm_visit_photo.py).
 */

export const KEPT_PHOTO_SIDE = 1600;
export const KEPT_PHOTO_MAX_BYTES = 3 * 1024 * 1024;
const QUALITIES = [0.85, 0.6];

export class NotAPhotoError extends Error {}

/** The base64 JPEG of ``file`` reduced (see above), or null when still too large;
 * throws NotAPhotoError when the file is no image the browser can read. */
export async function shrinkPhoto(file, side = KEPT_PHOTO_SIDE) {
    const url = URL.createObjectURL(file);
    try {
        const image = new Image();
        image.src = url;
        try {
            // the browser turns the photo upright (its EXIF orientation) as it draws it
            await image.decode();
        } catch {
            throw new NotAPhotoError(file.name);
        }
        const scale = Math.min(1, side / Math.max(image.naturalWidth, image.naturalHeight));
        const canvas = document.createElement("canvas");
        canvas.width = Math.max(1, Math.round(image.naturalWidth * scale));
        canvas.height = Math.max(1, Math.round(image.naturalHeight * scale));
        canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
        for (const quality of QUALITIES) {
            const data = canvas.toDataURL("image/jpeg", quality).split(",")[1] || "";
            if ((data.length * 3) / 4 <= KEPT_PHOTO_MAX_BYTES) {
                return data;
            }
        }
        return null;
    } finally {
        URL.revokeObjectURL(url);
    }
}
