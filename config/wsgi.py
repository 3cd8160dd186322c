import os

from django.core.wsgi import get_wsgi_application

from config.middleware import guard_charsets

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

# A charset Python can't decode with breaks Django's request object before any middleware
# runs; the guard turns it into the usual 400 (config/middleware.py).
application = guard_charsets(get_wsgi_application())
