from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Article, Page, Question, Section, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["position", "heading", "kind", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10, "cols": 90})}

    def validate_unique(self):
        # Positions are checked across the whole inline formset instead, so an editor can swap
        # two sections in one save (the database constraint is deferred on PostgreSQL).
        self.instance.validate_unique(exclude=self._get_validation_exclusions() | {"position"})


class SectionInline(admin.StackedInline):
    model = Section
    form = SectionForm
    extra = 0
    min_num = 1
    ordering = ["position"]


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ["headline", "topic", "status", "updated_at"]
    list_filter = ["status", "topic"]
    search_fields = ["headline", "question__text", "bottom_line", "sections__body"]
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["question", "topic"]
    filter_horizontal = ["authors"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [SectionInline]
    fieldsets = [
        (None, {"fields": ["question", "headline", "slug", "topic", "status"]}),
        ("Answer", {"fields": ["bottom_line"]}),
        ("Credits", {"fields": ["authors", "created_at", "updated_at"]}),
    ]

    def get_search_results(self, request, queryset, search_term):
        queryset, _ = super().get_search_results(request, queryset, search_term)
        return queryset.distinct(), False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            form.instance.authors.add(request.user)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """Questions, including readers' follow-ups: filter on "New — awaiting triage" to triage."""

    list_display = ["__str__", "source", "status", "follow_up_to", "created_at"]
    list_filter = ["status", "source"]
    search_fields = ["text", "asker_email"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["follow_up_to"]
    actions = ["mark_accepted", "mark_declined", "mark_answered"]

    @admin.action(description="Accept for answering", permissions=["change"])
    def mark_accepted(self, request, queryset):
        self._set_status(request, queryset, Question.Status.ACCEPTED)

    @admin.action(description="Decline", permissions=["change"])
    def mark_declined(self, request, queryset):
        self._set_status(request, queryset, Question.Status.DECLINED)

    @admin.action(description="Mark as answered", permissions=["change"])
    def mark_answered(self, request, queryset):
        self._set_status(request, queryset, Question.Status.ANSWERED)

    def _set_status(self, request, queryset, status):
        count = queryset.update(status=status)
        self.message_user(request, f"{count} question(s) marked “{status.label}”.")


@admin.register(Page)
class PageAdmin(SimpleHistoryAdmin):
    list_display = ["title", "slug", "updated_at"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
