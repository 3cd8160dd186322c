"""Admin bases every app shares. History is append-only, so its screens are for reading."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that are history themselves (review events, revisions): read, never added,
    changed or deleted by hand."""

    def get_changelist_instance(self, request):
        """The date hierarchy turns `?created_at__year=` into a date; Django catches a year
        out of range but not one too big for an integer (OverflowError, a 500). Both get the
        changelist's usual "invalid filter" answer."""
        try:
            return super().get_changelist_instance(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """simple-history's pages, for reading only. Its page of one past version saves whatever
    is posted to it, checking only the *view* permission (SIMPLE_HISTORY_REVERT_DISABLED just
    hides the button): a reviewer could rewrite an article, and anyone could bypass the
    workflow. Restoring goes through the Revisions screen (`reviews.services.restore`)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        if not str(version_id).isdigit():  # simple-history looks it up as given: a 500
            raise Http404("No such version.")
        return super().history_form_view(request, object_id, version_id, extra_context)
