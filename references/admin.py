from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Reference


@admin.register(Reference)
class ReferenceAdmin(SimpleHistoryAdmin):
    list_display = ["key", "kind", "title", "source", "year"]
    list_filter = ["kind", "year"]
    search_fields = ["key", "title", "authors", "source", "doi", "pmid"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["key", "kind", "title", "authors", "source", "year"]}),
        ("Identifiers", {"fields": ["doi", "pmid", "url"]}),
        (None, {"fields": ["created_at", "updated_at"]}),
    ]
