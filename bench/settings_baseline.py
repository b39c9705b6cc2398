"""Settings for the benchmark's baseline: newsroom's settings with haystack's
stock Whoosh backend and jieba's ChineseAnalyzer (bench/baseline.py)."""

from newsroom.settings import *  # noqa: F403
from newsroom.settings import DATA_DIR

HAYSTACK_CONNECTIONS = {
    "default": {"ENGINE": "bench.baseline.JiebaWhooshEngine", "PATH": str(DATA_DIR / "search_index_baseline")}
}
