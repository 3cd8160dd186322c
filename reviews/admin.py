import datetime

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html

from articles.admin import ReadOnlyHistoryAdmin

from .models import ReviewerProfile, ReviewEvent, ReviewQueueItem, Revision, SiteSettings


class ReadOnlyAdmin(admin.ModelAdmin):
    """History is append-only: it can be read, never added, changed or deleted by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewEvent)
class ReviewEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "article", "action", "actor", "revision_number"]
    list_filter = ["action"]
    list_select_related = ["article", "actor", "revision"]
    search_fields = ["article__headline", "comment", "actor__username"]
    date_hierarchy = "created_at"

    @admin.display(description="Revision")
    def revision_number(self, obj):
        return obj.revision.number if obj.revision else "—"


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ["article", "number", "created_by", "created_at", "short_hash"]
    list_select_related = ["article", "created_by"]
    search_fields = ["article__headline"]
    exclude = ["content"]
    readonly_fields = ["article", "number", "created_by", "created_at", "content_hash"]

    @admin.display(description="Content hash")
    def short_hash(self, obj):
        return obj.content_hash[:12]


@admin.register(ReviewQueueItem)
class ReviewQueueAdmin(ReadOnlyAdmin):
    """A reviewer's landing page: articles assigned to them or waiting for a reviewer, oldest
    submission first, with the date each review is due."""

    list_display = ["article", "topic", "status", "assigned_reviewer", "submitted", "due"]
    list_display_links = None
    list_select_related = ["topic", "assigned_reviewer", "submitted_revision"]
    list_filter = ["topic"]
    search_fields = ["headline"]
    # The changelist orders by this (or Article's Meta.ordering), not by get_queryset's order.
    ordering = ["submitted_revision__created_at", "pk"]
    actions = None

    def has_module_permission(self, request):
        return request.user.has_perm("articles.review_article")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.review_article")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .awaiting_review()
            .filter(Q(assigned_reviewer=request.user) | Q(assigned_reviewer__isnull=True))
            .order_by("submitted_revision__created_at", "pk")
        )

    # Not named `headline`: a model field of that name would win over this method.
    @admin.display(description="Article", ordering="headline")
    def article(self, obj):
        url = reverse("admin:articles_article_review", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.headline)

    @admin.display(description="Submitted", ordering="submitted_revision__created_at")
    def submitted(self, obj):
        return obj.submitted_revision.created_at

    @admin.display(description="Review due")
    def due(self, obj):
        due = obj.submitted_revision.created_at.date() + datetime.timedelta(
            days=settings.REVIEW_TURNAROUND_DAYS
        )
        return (
            format_html("<strong>{} (late)</strong>", due) if due < datetime.date.today() else due
        )


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(ReadOnlyHistoryAdmin):
    list_display = ["display_name", "credentials", "specialty", "user"]
    search_fields = ["display_name", "specialty", "user__username"]
    prepopulated_fields = {"slug": ["display_name"]}
    autocomplete_fields = ["user"]


@admin.register(SiteSettings)
class SiteSettingsAdmin(ReadOnlyHistoryAdmin):
    """One row: chief editors switch it; nobody adds or deletes it."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """Chief editors manage accounts and give roles (groups); only a superuser can make a
    superuser or hand out single permissions, so no one can raise their own rights."""

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return readonly
        return [*readonly, "is_superuser", "user_permissions"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(is_superuser=False)
