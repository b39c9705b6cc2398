"""Which rendition library: django-imagekit, sorl-thumbnail or easy-thumbnails.

Run on demand, never in the test suite. The script configures a bare Django
of its own (no project settings), so it runs in the project venv for the
library the project uses and in a throwaway venv for the others::

    python3 -m venv /tmp/rend-sorl
    /tmp/rend-sorl/bin/pip install django==5.2.19 Pillow==12.3.0 sorl-thumbnail==13.4.0
    /tmp/rend-sorl/bin/python bench/renditions.py --lib sorl
    .venv/bin/python bench/renditions.py --lib imagekit

Each library is asked for what a page needs: for every picture, one WebP and
one JPEG rendition in each of 320/640/960/1280/1600 px (10 per picture).
Measured, per library:

- cold: generating the 10 renditions of one 4000×3000 JPEG (median of rounds);
- warm page: the 300 URLs of 30 pictures once they exist and the library's
  cache is warm (median of rounds), with DB queries and storage look-ups;
- restart page: the same right after the cache is emptied (a new process or
  an evicted cache), with DB queries and storage look-ups.

Prints one JSON line; docs/benchmarks.md keeps the figures of one run.
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

import django
from django.conf import settings

WIDTHS = (320, 640, 960, 1280, 1600)
FORMATS = ("WEBP", "JPEG")
QUALITY = 80
APPS = {
    "imagekit": ["imagekit"],
    "imagekit-optimistic": ["imagekit"],  # no existence check at all: renditions made on upload
    "newsroom": ["imagekit"],  # images/renditions.py itself
    "sorl": ["sorl.thumbnail"],
    "easy": ["easy_thumbnails"],
}


def configure(lib: str, root: Path) -> None:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench",
        INSTALLED_APPS=["django.contrib.contenttypes", *APPS[lib]],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(root / "db.sqlite3")}},
        # Room for every entry: a culled cache would measure the database instead.
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 100_000}}
        },
        MEDIA_ROOT=str(root / "media"),
        MEDIA_URL="/media/",
        STORAGES={
            "default": {"BACKEND": "__main__.CountingStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        USE_TZ=True,
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        IMAGEKIT_CACHE_TIMEOUT=None,
        THUMBNAIL_QUALITY=QUALITY,
    )
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, run_syncdb=True)


# Defined at import time but only used after configure().
from django.core.files import File  # noqa: E402
from django.core.files.storage import FileSystemStorage  # noqa: E402


class CountingStorage(FileSystemStorage):
    """The default storage, counting the look-ups a library makes on it."""

    lookups = 0

    def exists(self, name):
        CountingStorage.lookups += 1
        return super().exists(name)

    def get_modified_time(self, name):
        CountingStorage.lookups += 1
        return super().get_modified_time(name)

    def size(self, name):
        CountingStorage.lookups += 1
        return super().size(name)


def photo(width: int, height: int, seed: int) -> bytes:
    """A JPEG with gradients and shapes (compresses like a photo, not like noise)."""
    from PIL import Image, ImageDraw

    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for i in range(40):
        x, y = (seed * 97 + i * 131) % width, (seed * 53 + i * 71) % height
        r = 20 + (i * 37) % (min(width, height) // 4)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=((i * 50) % 256, (seed * 30) % 256, (i * 90) % 256))
    out = BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


class Library:
    """One library as a page uses it: ``page`` returns the URLs of the pictures."""

    def url(self, name, width, fmt):
        raise NotImplementedError

    def page(self, names) -> list[str]:
        return [self.url(name, width, fmt) for name in names for fmt in FORMATS for width in WIDTHS]

    def generate(self, names) -> None:
        """What an upload does: every rendition now (sorl and easy-thumbnails make them on first use)."""
        self.page(names)


class ImageKit(Library):
    def __init__(self, optimistic=False):
        from django.core.files.storage import default_storage
        from imagekit import ImageSpec, register
        from imagekit.cachefiles import ImageCacheFile
        from pilkit.processors import ResizeToFit

        class Rendition(ImageSpec):
            options = {"quality": QUALITY}
            if optimistic:
                cachefile_strategy = "imagekit.cachefiles.strategies.Optimistic"

            def __init__(self, source, width, format):
                self.processors = [ResizeToFit(width=width, upscale=False)]
                self.format = format
                super().__init__(source)

        register.generator("bench:rendition", Rendition)  # only registered specs are generated on demand
        self.storage, self.spec, self.cachefile = default_storage, Rendition, ImageCacheFile

    def file(self, name, width, fmt):
        return self.cachefile(self.spec(Source(name, self.storage), width, fmt))

    def url(self, name, width, fmt):
        return self.file(name, width, fmt).url

    def generate(self, names):
        for name in names:
            for fmt in FORMATS:
                for width in WIDTHS:
                    self.file(name, width, fmt).generate()


class Newsroom(Library):
    """django-imagekit as images/renditions.py uses it: computed names, one
    existence check per picture (cached), the whole <picture> element."""

    def __init__(self):
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from django.core.files.storage import default_storage

        from images import renditions

        self.storage, self.renditions = default_storage, renditions

    def picture(self, name):
        return Picture(Source(name, self.storage), 1600, 1200)

    def page(self, names):
        return [self.renditions.picture_html(self.picture(name), sizes="100vw") for name in names]

    def generate(self, names):
        for name in names:
            self.renditions.ensure(self.picture(name))


class Sorl(Library):
    def __init__(self):
        from sorl.thumbnail import get_thumbnail

        self.get = get_thumbnail

    def url(self, name, width, fmt):
        return self.get(name, str(width), format=fmt, quality=QUALITY, upscale=False).url


class Easy(Library):
    def __init__(self):
        from django.core.files.storage import default_storage
        from easy_thumbnails.files import get_thumbnailer

        self.storage, self.get = default_storage, get_thumbnailer

    def url(self, name, width, fmt):
        thumbnailer = self.get(self.storage, relative_name=name)
        thumbnailer.thumbnail_extension = "webp" if fmt == "WEBP" else "jpg"
        return thumbnailer.get_thumbnail({"size": (width, 0), "quality": QUALITY}).url


class Source(File):
    """A stored picture by name, opened from the storage when read (like a FieldFile)."""

    def __init__(self, name, storage):
        super().__init__(None, name)
        self.storage = storage

    def open(self, mode="rb"):
        self.file = self.storage.open(self.name, mode)
        return self


class Picture:
    """What images.renditions reads of an Image."""

    def __init__(self, file, width, height):
        self.file, self.width, self.height, self.alt, self.pk = file, width, height, "", None


def measure(library, fn, rounds):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries, lookups = [], [], []
    for _ in range(rounds):
        CountingStorage.lookups = 0
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        queries.append(len(captured))
        lookups.append(CountingStorage.lookups)
    return statistics.median(times), max(queries), max(lookups)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lib", choices=sorted(APPS), required=True)
    parser.add_argument("--images", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)

    root = Path(tempfile.mkdtemp(prefix=f"rend-{args.lib}-"))
    configure(args.lib, root)
    from django.core.cache import cache
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    library = {
        "imagekit": ImageKit,
        "imagekit-optimistic": lambda: ImageKit(optimistic=True),
        "newsroom": Newsroom,
        "sorl": Sorl,
        "easy": Easy,
    }[args.lib]()

    big = photo(4000, 3000, seed=1)
    cold = []
    for round_ in range(3):
        name = default_storage.save(f"images/big-{round_}.jpg", ContentFile(big))
        start = time.perf_counter()
        library.generate([name])
        cold.append(time.perf_counter() - start)

    names = [
        default_storage.save(f"images/p{i}.jpg", ContentFile(photo(1600, 1200, seed=i))) for i in range(args.images)
    ]
    start = time.perf_counter()
    library.generate(names)
    bulk = time.perf_counter() - start

    warm = measure(library, lambda: library.page(names), args.rounds)
    restart = measure(library, lambda: (cache.clear(), library.page(names)), args.rounds)

    per_url = args.images * len(WIDTHS) * len(FORMATS)
    result = {
        "lib": args.lib,
        "images": args.images,
        "urls": per_url,
        "cold_4000x3000_10_renditions_s": round(statistics.median(cold), 2),
        "generate_all_1600x1200_s": round(bulk, 2),
        "warm_page_ms": round(warm[0] * 1000, 1),
        "warm_db_queries": warm[1],
        "warm_storage_lookups": warm[2],
        "restart_page_ms": round(restart[0] * 1000, 1),
        "restart_db_queries": restart[1],
        "restart_storage_lookups": restart[2],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
