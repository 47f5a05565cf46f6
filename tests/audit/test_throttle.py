"""AutoThrottle paces the crawl by latency; a 304 answer may lower the delay as a 200 does, so an
unchanged re-audit (documents answer 304) is not held at a delay raised once."""

from __future__ import annotations

import pytest
from scrapy.core.downloader import Slot
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from spillguard.audit.crawl import CrawlOptions, Throttle, crawl_settings
from spillguard.audit.safety import Scope

URL = "http://127.0.0.1:8123/doc.pdf"


def _throttle(cls: type[AutoThrottle]) -> AutoThrottle:
    crawler = get_crawler(
        settings_dict={
            "AUTOTHROTTLE_ENABLED": True,
            "AUTOTHROTTLE_TARGET_CONCURRENCY": 4.0,
            "AUTOTHROTTLE_START_DELAY": 0.0,
            "AUTOTHROTTLE_MAX_DELAY": 30.0,
        }
    )
    throttle = cls(crawler)
    # what its spider_opened handler sets (it also needs a running engine)
    throttle.mindelay, throttle.maxdelay = throttle._min_delay(), throttle._max_delay()
    return throttle


def _delay_after(throttle: AutoThrottle, status: int) -> float:
    slot = Slot(concurrency=4, delay=0.5, jitter=0)
    throttle._adjust_delay(slot, 0.004, Response(URL, status=status))
    return slot.delay


def test_a_304_lowers_the_delay_as_a_200_does() -> None:
    ours = _throttle(Throttle)
    assert _delay_after(ours, 200) == pytest.approx((0.5 + 0.001) / 2)
    assert _delay_after(ours, 304) == pytest.approx((0.5 + 0.001) / 2)
    # errors still never lower it (Scrapy's rule), and Scrapy's own throttle keeps it on a 304
    assert _delay_after(ours, 404) == 0.5
    assert _delay_after(_throttle(AutoThrottle), 304) == 0.5


def test_a_slow_304_still_raises_the_delay() -> None:
    slot = Slot(concurrency=4, delay=0.01, jitter=0)
    _throttle(Throttle)._adjust_delay(slot, 2.0, Response(URL, status=304))
    assert slot.delay == pytest.approx(0.5)


def test_the_audit_uses_this_throttle_instead_of_scrapys() -> None:
    opts = CrawlOptions(
        start_url="http://127.0.0.1:8123/",
        site="http://127.0.0.1:8123",
        scope=Scope.for_url("http://127.0.0.1:8123/", allow_private=True),
    )
    settings = crawl_settings(opts)
    assert settings["AUTOTHROTTLE_ENABLED"] is True
    ext = settings["EXTENSIONS"]
    assert ext["scrapy.extensions.throttle.AutoThrottle"] is None
    assert ext["spillguard.audit.crawl.Throttle"] == 0
