"""Where things are in the checkout, and what the real seed document holds."""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
SEEDS = REPO / "seeds"
REAL_SEED = SEEDS / "000_c6905cedc614910f.txt"
# The credit block under "# 奋进" in the real seed, in order: (role, name).
REAL_SEED_SERIES_CREDITS = [
    ("总策划", "傅健"),
    ("总策划", "曹乃付"),
    ("总策划", "王平强"),
    ("总策划", "王鼎强"),
    ("总策划", "赵可义"),
    ("总策划", "毕松杰"),
    ("出品人", "张永源"),
    ("出品", "江门日报社"),
]
