"""Django's Redis cache backend, keeping its redis-py client.

Django's backend builds a new `redis.Redis` object for every cache call. Building one fills a
table of some eighty response callbacks, which costs about as much CPU as the round trip the
call makes (cProfile of a stored article page: a third of the request). A client is
thread-safe and only wraps the connection pool Django keeps anyway, so one per pool does."""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class _KeptClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class KeptClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _KeptClient
