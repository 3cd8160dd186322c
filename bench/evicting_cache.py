"""The production Redis cache (config.cache) as it would be if Redis had evicted every
article page: bench/load.py's --evicted (VETTED_BENCH_CACHE=evicted in bench/load_settings.py).

The page cache's page entries (articles/page_cache.py: final keys holding `vetted:page:`) are
silently not stored by `set` and `set_many`, so every anonymous article request misses in
Redis. Everything else is stored as usual: the stamps (`vetted:page-stamp...`), the render
lock (`add()` of a `vetted:page:...:lock` key), rendered articles, rate limits."""

from django.core.cache.backends.base import DEFAULT_TIMEOUT

from config.cache import KeptClientRedisCache

PAGES = "vetted:page:"  # in every page entry's key, not in a stamp's (`vetted:page-stamp`)


class EvictingRedisCache(KeptClientRedisCache):
    def _evicted(self, key, version) -> bool:
        return PAGES in self.make_and_validate_key(key, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if not self._evicted(key, version):
            super().set(key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        kept = {key: value for key, value in data.items() if not self._evicted(key, version)}
        return super().set_many(kept, timeout, version)
