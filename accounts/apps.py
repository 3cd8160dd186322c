from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and sign-in"

    def ready(self):
        from config import append_only

        from . import audit

        audit.connect()
        append_only.protect(self)
