from functools import partial

from django.contrib import admin
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst

from config.admin_base import ReadOnlyHistoryAdmin

from .admin_import import confirm_view, import_view
from .forms import ReferenceForm
from .models import Reference

# How many of the rows protecting a reference are named; the rest are counted.
NAMED = 20


@admin.register(Reference)
class ReferenceAdmin(ReadOnlyHistoryAdmin):
    """Editing a reference never changes an approved page (revisions freeze what readers see);
    the articles citing it show "Reference updated since approval" until they are reviewed
    again. A cited reference can't be deleted: the admin lists the citations that protect it."""

    form = ReferenceForm
    change_list_template = "admin/references/reference/change_list.html"
    list_display = ["key", "kind", "title", "source", "year", "merged"]
    list_filter = ["kind", "year", ("merged_into", admin.EmptyFieldListFilter)]
    search_fields = ["key", "title", "authors", "source", "doi", "pmid"]
    readonly_fields = ["merged_into_link", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["key", "kind", "title", "authors", "source", "year"]}),
        ("Where in the source", {"fields": ["volume", "issue", "pages"]}),
        ("Identifiers", {"fields": ["doi", "pmid", "url"]}),
        (None, {"fields": ["merged_into_link", "created_at", "updated_at"]}),
    ]

    def get_urls(self):
        # Before the model's own routes: "<path:object_id>/" would take "import/" too.
        wrap = self.admin_site.admin_view
        return [
            path(
                "import/",
                wrap(partial(import_view, model_admin=self)),
                name="references_reference_import",
            ),
            path(
                "import/confirm/",
                wrap(partial(confirm_view, model_admin=self)),
                name="references_reference_import_confirm",
            ),
        ] + super().get_urls()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("merged_into")

    def get_search_results(self, request, queryset, search_term):
        """Choosing a reference (autocomplete) never offers one merged into another."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.path.endswith("/autocomplete/"):
            queryset = queryset.filter(merged_into__isnull=True)
        return queryset, may_have_duplicates

    @admin.display(description="merged into", ordering="merged_into__key")
    def merged(self, obj):
        return f"[@{obj.merged_into.key}]" if obj.merged_into_id else ""

    @admin.display(description="merged into")
    def merged_into_link(self, obj):
        if obj is None or not obj.merged_into_id:
            return "—"
        target = obj.merged_into
        url = reverse("admin:references_reference_change", args=[target.pk])
        return format_html(
            'This duplicate was merged into <a href="{}">[@{}] {}</a>: cite that one. '
            "Older revisions of articles still cite this entry, so it is kept.",
            url,
            target.key,
            target.title,
        )

    def get_deleted_objects(self, objs, request):
        """A cited reference is never deleted, so its page lists what protects it: the first
        NAMED citations and how many more, not each of them (Django's collector names every
        one, a query each)."""
        count, protected = 0, []
        for reference in objs:
            found, first = reference.protected_by(named=max(0, NAMED - len(protected)))
            count += found
            protected += [f"{capfirst(row._meta.verbose_name)}: {row}" for row in first]
        if not count:
            return super().get_deleted_objects(objs, request)
        if count > len(protected):
            protected.append(f"… and {count - len(protected):,} more")
        return [], {}, set(), protected
