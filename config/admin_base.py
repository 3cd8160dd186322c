"""Admin bases every app shares. History is append-only, so its screens are for reading."""

from functools import cached_property, partial

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import PAGE_VAR, SEARCH_VAR, ChangeList
from django.core.exceptions import PermissionDenied
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from .paging import page_bounds


class IdsFirstPaginator(Paginator):
    """Finds a page's rows in two steps: their ids first, then those rows in full.

    PostgreSQL sorts whole rows. To show the 100 oldest of 9,000 articles in review it read
    all 9,000 with every column and sorted them (45 ms at 100,000 articles), where an index
    holding the filter's and the order's columns answers which 100 without reading a row
    (2.5 ms); the rows, their joins and annotations are then read for those 100 only. Only
    for a list that is not edited in place: a page's rows are a list, not a queryset.
    Django's changelist asks for a page only when there is more than one: a list that fits
    is still one query. `rows`, if given, says where the rows are read from (called only
    then): the list's queryset without its filters and search, which the ids already
    satisfy (a search's conditions, tested row by row, need not run again for the hundred)."""

    def __init__(self, *args, rows=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows

    def _get_page(self, object_list, number, paginator):
        return self._page_of(list(object_list.values_list("pk", flat=True)), number)

    def _page_of(self, ids: list, number: int):
        source = self.rows() if self.rows is not None else None
        if source is None:  # none given, or the admin lets Django choose what to join
            source = self.object_list
        rows = source.order_by().in_bulk(ids)
        # A row removed between the two queries is left out, as if it had gone before.
        return super()._get_page([rows[pk] for pk in ids if pk in rows], number, self)


class CappedCountPaginator(Paginator):
    """Counts the matches only as far as the page asked for and one past it, which is all
    the pages shown need (is there a next one?): counting every article that contains a
    word most of them contain costs far more than finding the page. Never past MAX_COUNT,
    so a list can't be paged beyond its first thousand. `capped` says there were more than
    `counted_to`; `count` then holds one more, so that the next page can be asked for."""

    MAX_COUNT = 1000
    capped = False

    def __init__(self, *args, up_to_page: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.counted_to = min(self.per_page * up_to_page, self.MAX_COUNT)

    @cached_property
    def count(self) -> int:
        found = self.object_list.order_by().values("pk")[: self.counted_to + 1].count()
        self.capped = found > self.counted_to
        return min(found, self.MAX_COUNT)


class CappedIdsFirstPaginator(CappedCountPaginator, IdsFirstPaginator):
    """Both, from one walk: the list's ids in its order, as far as the page asked for and
    one past it, are both the count and the page's ids. A count, then the page, walked the
    same index twice (the review log searched for "kidney": 2.0 and 2.4 ms at 100,000
    articles, for 2.4 ms in one). A list that fits on one page is read by these ids too
    (`QuickLinksChangeList.get_results`), not by its filters and search again."""

    @cached_property
    def walked(self) -> list:
        return list(self.object_list.values_list("pk", flat=True)[: self.counted_to + 1])

    @cached_property
    def count(self) -> int:
        self.capped = len(self.walked) > self.counted_to
        return min(len(self.walked), self.MAX_COUNT)

    def page(self, number):
        number, bottom, top = page_bounds(self, number)
        return self._page_of(self.walked[bottom:top], number)


class QuickLinksChangeList(ChangeList):
    """A changelist whose rows link to their change pages for the cost of a string
    substitution. Django reverses each row's URL, and on a filtered or searched list it
    then resolves that URL again, to find out whether it leads back to the list, before
    adding the filters the change page returns to (`add_preserved_filters`): up to 130 µs a
    row. Here the change URL is reversed once per list and the filters appended once; the
    preserved filters are emptied because the rows' drawing is their only reader
    (config.admin_rows, which adds none to these links, or Django's `items_for_result` for a
    list edited in place), and would add them a second time."""

    PK = "__pk__"  # unreserved in a URL: reverse() leaves it as it is

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.link_filters, self.preserved_filters = self.preserved_filters, ""

    @cached_property
    def _change_url(self) -> tuple[str, str]:
        # A list whose rows lead elsewhere than to their change form names the URL in its
        # admin's `row_link` (taking the row's id); the list's filters are the form's to keep.
        row_link = getattr(self.model_admin, "row_link", None)
        url = reverse(
            row_link or f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=(self.PK,),
            current_app=self.model_admin.admin_site.name,
        )
        head, _, tail = url.rpartition(self.PK)
        filters = "" if row_link else self.link_filters
        return head, tail + (f"?{filters}" if filters else "")

    def url_for_result(self, result) -> str:
        head, tail = self._change_url
        return f"{head}{quote(getattr(result, self.pk_attname))}{tail}"

    def apply_select_related(self, qs):
        return related_as_drawn(self.model_admin, super().apply_select_related(qs))

    def get_results(self, request):
        super().get_results(request)
        if hasattr(self.paginator, "walked") and not self.multi_page:
            # Django reads a list that fits on one page by its filters and search again.
            self.result_list = self.paginator.page(1).object_list
        if getattr(self.paginator, "capped", False):
            # A count that stopped early is no size of the whole list: "Show all" would
            # read every match (tens of thousands), so it is neither offered nor obeyed.
            self.can_show_all = False
            if self.show_all:
                self.show_all = False
                try:
                    self.result_list = self.paginator.page(self.page_num).object_list
                except InvalidPage as error:
                    raise IncorrectLookupParameters(error) from error


def rows_of(model_admin, request):
    """What a changelist's rows are read from once their ids are known: the admin's queryset
    (its annotations) with the related rows the list shows, without filters or search."""
    related = model_admin.get_list_select_related(request)
    if not isinstance(related, list | tuple):
        return None  # Django decides what to join: read from the list itself
    return related_as_drawn(model_admin, model_admin.get_queryset(request).select_related(*related))


# What a user is shown by in a list: a name (`get_full_name`), else the username, which is
# also a user's own __str__.
PERSON_FIELDS = ("username", "first_name", "last_name")


def related_as_drawn(model_admin, queryset):
    """`queryset` with the related rows named in the admin's `list_related_fields` read only
    for the fields its columns draw (`LongListAdmin`)."""
    deferred = []
    for relation, drawn in getattr(model_admin, "list_related_fields", {}).items():
        related = model_admin.model._meta.get_field(relation).related_model
        deferred += [
            f"{relation}__{field.name}"
            for field in related._meta.concrete_fields
            if not field.primary_key and field.name not in drawn
        ]
    return queryset.defer(*deferred) if deferred else queryset


class LongListAdmin(admin.ModelAdmin):
    """A changelist over a table that grows with the catalogue (and the autocompletes that
    search it). Its costly counts — of a search, or of a filter named in `capped_filters` —
    stop one match past the page shown (`CappedCountPaginator`), saying so when there are
    more; with `ids_first`, a page's rows are found ids first (`IdsFirstPaginator`); its
    row links are made once per page (`QuickLinksChangeList`). A list with bulk actions is
    counted in full, its autocompletes only capped: "select all" names the count, and the
    action reaches every match."""

    show_full_result_count = False  # the count of the whole table, beside every search
    ids_first = False
    # The related rows the list joins (`list_select_related`), each read only for the fields
    # its columns draw, e.g. {"article": ["headline"]}: an article's bottom line or a user's
    # password hash stays in the database (100 revisions with their article and author were
    # read in 4.5 ms instead of 7.4–8.6). A relation not named here is read whole; drawing
    # a field not named would read it row by row.
    list_related_fields: dict[str, list[str] | tuple[str, ...]] = {}
    # Query parameter -> the values whose count reads a row-by-row condition for every
    # candidate (a subquery per draft, say) rather than an index.
    capped_filters: dict[str, set[str]] = {}

    def get_changelist(self, request, **kwargs):
        return QuickLinksChangeList

    def count_capped(self, request) -> bool:
        if request.GET.get("term"):  # the autocomplete's search
            return True
        if self.get_actions(request):
            return False
        if request.GET.get(SEARCH_VAR):
            return True
        return any(request.GET.get(name) in values for name, values in self.capped_filters.items())

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        capped = self.count_capped(request)
        paginator = {
            (False, False): Paginator,
            (True, False): CappedCountPaginator,
            (False, True): IdsFirstPaginator,
            (True, True): CappedIdsFirstPaginator,
        }[capped, self.ids_first]
        options = {"rows": partial(rows_of, self, request)} if self.ids_first else {}
        if capped:
            # The page asked for: the changelist's `p`, the autocomplete's `page`.
            page = request.GET.get("page" if request.GET.get("term") else PAGE_VAR, "")
            options["up_to_page"] = int(page) if page.isdigit() and int(page) > 0 else 1
        return paginator(queryset, per_page, orphans, allow_empty_first_page, **options)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        paginator = getattr(changelist, "paginator", None)
        if getattr(paginator, "capped", False):
            shown = f"the list shows the first {paginator.MAX_COUNT:,}. "
            self.message_user(
                request,
                f"More than {paginator.counted_to:,} {changelist.opts.verbose_name_plural} match"
                + (f": {shown}" if paginator.counted_to == paginator.MAX_COUNT else ". ")
                + "Add words or a filter to narrow the list.",
                messages.INFO,
            )
        return response


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that are history themselves (review events, revisions): read, never added,
    changed or deleted by hand."""

    def get_changelist_instance(self, request):
        """A date in the query string (`?created_at__year=`) becomes a date: a year out of
        range (ValueError) or too big for an integer (OverflowError) gets the changelist's
        usual "invalid filter" answer, not a 500. Django's date hierarchy catches the first
        only, and a log without one (the review log) neither."""
        try:
            return super().get_changelist_instance(request)
        except (OverflowError, ValueError) as error:
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
