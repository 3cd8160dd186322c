from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        from config import append_only

        from .catalogue import on_revision_tampered, refresh_on_save
        from .models import Article, GlossaryTerm, Page, ReaderType
        from .readers import bump_content_generation
        from .signals import revision_tampered

        # The public catalogue follows every change to what readers may see of an article.
        post_save.connect(refresh_on_save, sender=Article, dispatch_uid="catalogue-refresh")
        revision_tampered.connect(on_revision_tampered, dispatch_uid="catalogue-tampered")

        # Rendered articles are cached per revision; these tables feed every one of them (a
        # term's approval is saved on the term). References do not: revisions freeze them.
        for model in (GlossaryTerm, Page, ReaderType):
            for signal in (post_save, post_delete):
                signal.connect(bump_content_generation, sender=model, dispatch_uid=f"gen-{model}")
        # Revisions, citations, the review log, glossary approvals and history: never changed.
        append_only.protect(self)
