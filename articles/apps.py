from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        from config import append_only

        from .models import GlossaryTerm, Page, ReaderType
        from .readers import bump_content_generation

        # Rendered articles are cached per revision; these tables feed every one of them (a
        # term's approval is saved on the term). References do not: revisions freeze them.
        for model in (GlossaryTerm, Page, ReaderType):
            for signal in (post_save, post_delete):
                signal.connect(bump_content_generation, sender=model, dispatch_uid=f"gen-{model}")
        # Revisions, citations, the review log, glossary approvals and history: never changed.
        append_only.protect(self)
