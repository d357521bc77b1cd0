"""The demo commune seeded once for the module (tests/crawler/seeded.py)."""

from tests.crawler.seeded import demo_commune  # noqa: F401
