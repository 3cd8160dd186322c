from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        from references.models import Reference

        from .models import GlossaryTerm, Page, ReaderType
        from .readers import bump_content_generation

        # Rendered articles are cached; these tables feed every one of them.
        for model in (GlossaryTerm, Page, ReaderType, Reference):
            for signal in (post_save, post_delete):
                signal.connect(bump_content_generation, sender=model, dispatch_uid=f"gen-{model}")
