"""Topics and the specialties they belong to, in the admin. Editors create topics and choose
their specialty; whether only that specialty may approve a topic's articles is the chief
editors' call (the `require_specialty_match` permission), and so is moving a topic that
requires a match to another specialty. Both are kept in the topic's history."""

from django.contrib import admin
from django.db.models import Count

from config.admin_base import ReadOnlyHistoryAdmin

from .models import Specialty, Topic

GATEKEEPING = "articles.require_specialty_match"


@admin.register(Specialty)
class SpecialtyAdmin(ReadOnlyHistoryAdmin):
    list_display = ["name", "schema_org", "topic_count", "member_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["name"]  # the counts below would drop the model's own order

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                topic_count=Count("topics", distinct=True),
                member_count=Count("board_members", distinct=True),
            )
        )

    @admin.display(description="Topics", ordering="topic_count")
    def topic_count(self, obj):
        return obj.topic_count

    @admin.display(description="Board members", ordering="member_count")
    def member_count(self, obj):
        return obj.member_count


@admin.register(Topic)
class TopicAdmin(ReadOnlyHistoryAdmin):
    list_display = [
        "name", "slug", "specialty", "requires_specialty_match", "review_interval_months",
    ]  # fmt: skip
    list_filter = ["specialty", "requires_specialty_match"]
    list_select_related = ["specialty"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["specialty"]

    def get_readonly_fields(self, request, obj=None):
        if request.user.has_perm(GATEKEEPING):
            return []
        if obj is not None and obj.requires_specialty_match:
            return ["requires_specialty_match", "specialty"]
        return ["requires_specialty_match"]
