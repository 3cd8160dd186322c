from django.apps import AppConfig


class ReferencesConfig(AppConfig):
    name = "references"
    verbose_name = "Reference library"

    def ready(self):
        from config import append_only

        append_only.protect(self)  # the library's history
