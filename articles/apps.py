from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self):
        from config import append_only

        from .catalogue import on_revision_tampered, refresh_on_save
        from .models import Article, GlossaryTerm, Page, ReaderType, SiteSettings
        from .readers import bump_content_generation
        from .signals import revision_tampered

        # The public catalogue follows every change to what readers may see of an article.
        post_save.connect(refresh_on_save, sender=Article, dispatch_uid="catalogue-refresh")
        revision_tampered.connect(on_revision_tampered, dispatch_uid="catalogue-tampered")

        # Whole article pages are stored (page_cache.py); these changes make some stale
        # (page_invalidation.py).
        from . import page_cache, views
        from . import page_invalidation as stale
        from .models import ReviewerProfile, Specialty, Topic

        post_save.connect(stale.on_article_saved, sender=Article, dispatch_uid="page-save")
        post_delete.connect(stale.on_article_deleted, sender=Article, dispatch_uid="page-del")
        stale.public_state_committed.connect(views.prerender, dispatch_uid="page-prerender")
        revision_tampered.connect(stale.on_revision_tampered, dispatch_uid="page-tampered")
        user_model = get_user_model()
        for model, receiver in (
            (GlossaryTerm, stale.on_glossary_term_changed),
            (ReviewerProfile, stale.on_reviewer_changed),
            (user_model, stale.on_reviewer_changed),
            (Topic, stale.on_topic_changed),
            (Page, stale.on_page_changed),
            (ReaderType, page_cache.invalidate_all),
            (SiteSettings, page_cache.invalidate_all),
            (Specialty, page_cache.invalidate_all),  # named on its topics' and members' pages
        ):
            for signal in (post_save, post_delete):
                signal.connect(receiver, sender=model, dispatch_uid=f"page-{signal}-{model}")
        for signal in (post_save, post_delete):  # specialties are named on the board page
            signal.connect(stale.on_board_changed, sender=Specialty, dispatch_uid=f"board-{signal}")
        m2m_changed.connect(
            stale.on_specialties_declared,
            sender=ReviewerProfile.specialties.through,
            dispatch_uid="page-specialties",
        )

        # Rendered articles are cached per revision; these tables feed every one of them (a
        # term's approval is saved on the term). References do not: revisions freeze them.
        for model in (GlossaryTerm, Page, ReaderType):
            for signal in (post_save, post_delete):
                signal.connect(bump_content_generation, sender=model, dispatch_uid=f"gen-{model}")
        # Revisions, citations, the review log, glossary approvals and history: never changed.
        append_only.protect(self)
