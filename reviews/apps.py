from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Medical review"

    def ready(self):
        from articles.signals import revision_tampered
        from config import append_only

        from . import notifications

        append_only.protect(self)  # any history table this app gets is append-only too
        revision_tampered.connect(
            notifications.on_revision_tampered, dispatch_uid="reviews.notifications.tampered"
        )
