"""The production settings as bench/load.py runs them (STATIC_ROOT from the environment: the
run collects static files into a directory of its own), and, on request, a cache other than
Redis. Nothing else differs, so the figures are production's.

- VETTED_BENCH_CACHE=locmem: each process caches in its own memory, as base.py does without
  REDIS_URL (production refuses to start without it, so load.py still passes one and this
  module forgets it). `none`: Django's dummy cache, so every request renders. `evicted`: the
  same Redis, but article pages are never stored in it (bench/evicting_cache.py), as if Redis
  had evicted them all.
"""

from config.settings.production import *  # noqa: F403
from config.settings.production import env

_cache = env("VETTED_BENCH_CACHE", default="redis")
if _cache == "evicted":
    CACHES = {
        "default": {
            **CACHES["default"],  # noqa: F405
            "BACKEND": "bench.evicting_cache.EvictingRedisCache",
        }
    }
elif _cache != "redis":
    REDIS_URL = ""
    CACHES = {
        "default": {
            "BACKEND": {
                "locmem": "django.core.cache.backends.locmem.LocMemCache",
                "none": "django.core.cache.backends.dummy.DummyCache",
            }[_cache]
        }
    }
