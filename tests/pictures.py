"""Small real pictures for tests, made with Pillow (no files in the repo)."""

from io import BytesIO

from PIL import ExifTags, Image


def picture(width=64, height=48, format="JPEG", color=(200, 40, 40), **save) -> bytes:
    mode = "RGBA" if format in ("PNG", "WEBP") and save.pop("transparent", False) else "RGB"
    image = Image.new(mode, (width, height), color)
    # A second colour in the top-left quarter, so orientation can be checked.
    image.paste((20, 20, 220), (0, 0, width // 2, height // 2))
    out = BytesIO()
    image.save(out, format, **save)
    return out.getvalue()


def jpeg(width=64, height=48, **save) -> bytes:
    return picture(width, height, "JPEG", **save)


def gps_exif(orientation: int = 1) -> Image.Exif:
    """EXIF as a phone writes it: camera, orientation and where it was taken."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "NewsroomCam"
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (22.0, 35.0, 12.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (113.0, 5.0, 30.0),
        }
    )
    return exif


def animated_gif(width=32, height=24, frames=3) -> bytes:
    images = [Image.new("RGB", (width, height), (80 * i % 256, 60, 200)) for i in range(frames)]
    out = BytesIO()
    images[0].save(out, "GIF", save_all=True, append_images=images[1:], duration=120, loop=0, comment=b"secret")
    return out.getvalue()
