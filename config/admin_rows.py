"""Drawing a changelist's rows: Django's markup, byte for byte, at a fraction of the cost.

Django's admin draws every cell of every row from scratch (`items_for_result`): it looks the
column up on the model and the admin again, asks the admin for its empty value, formats each
date through `DateFormat` (the month name and "p.m." translated anew each time, about 35 µs)
and builds the cell with `format_html`. An article's row cost about 200 µs, so a page of 100
took longer to draw than everything else on the page took to find. Here what is the same for
every row is worked out once per page: which kind each column is (a field, a foreign key, an
admin method), its classes, whether it links, the date formats, month names, time zone and
boolean icons; Django's own bulk-action checkbox is written out rather than rendered through
the form widget's templates (`checkbox`). An article's row then costs about 27 µs. A list
edited in place (`list_editable`) is drawn by Django; a column naming a model attribute or a
lookup path is looked up row by row, as Django does. tests/config/test_admin_rows.py
compares every list's rows with Django's own.

Loaded in templates as `{% load admin_rows %}` (config/settings/base.py names the library);
`templates/admin/change_list.html` draws every changelist's rows with it.
"""

import datetime
import html
from functools import lru_cache, partial

from django import template
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.templatetags.admin_list import (
    _boolean_icon,
    _coerce_field_name,
    result_headers,
    result_list,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    lookup_field,
)
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import NoReverseMatch
from django.utils import dateformat, formats, timezone, translation
from django.utils.dates import MONTHS_AP
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()
ROW_BY_ROW = object()  # a column's attribute, when each row has its own


@register.simple_tag
def drawn_result_list(cl):
    """`{% result_list cl %}` with the rows drawn by `RowDrawer` and written out as one
    string (templates/admin/drawn_result_list.html); a list edited in place is Django's."""
    if cl.formset is not None:  # inputs in the cells: Django's drawing, as it is
        return render_to_string("admin/change_list_results.html", result_list(cl))
    return render_to_string("admin/drawn_result_list.html", drawn_table(cl))


def drawn_table(cl) -> dict:
    """The table's context: `result_list`'s, with each row one string (`results`) and all
    of them in one (`rows`)."""
    headers = list(result_headers(cl))
    rows = list(RowDrawer(cl).rows())
    return {
        "cl": cl,
        "result_hidden_fields": [],  # only a formset has any
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": rows,
        "rows": mark_safe("".join(f"<tr>{row}</tr>\n" for row in rows)),  # noqa: S308 — drawn escaped
    }


class DateText:
    """`formats.localize` of a date, time or datetime (after `template_localtime`), with
    the active language's formats compiled once: the specifiers the English formats use
    (N j, Y, P) are answered here, any other by Django's `DateFormat`, piece by piece."""

    def __init__(self):
        self.timezone = timezone.get_current_timezone() if settings.USE_TZ else None
        months = [""] + [str(MONTHS_AP[month]) for month in range(1, 13)]
        midnight, noon = gettext("midnight"), gettext("noon")
        am, pm = gettext("a.m."), gettext("p.m.")

        def twelve_hour(value):  # TimeFormat.P
            hour, minute = value.hour, value.minute
            if minute == 0 and hour in (0, 12):
                return midnight if hour == 0 else noon
            clock = f"{hour % 12 or 12}:{minute:02d}" if minute else str(hour % 12 or 12)
            return f"{clock} {pm if hour > 11 else am}"

        self.quick = {
            "N": lambda value: months[value.month],
            "j": lambda value: str(value.day),
            "Y": lambda value: f"{value.year:04d}",
            "d": lambda value: f"{value.day:02d}",
            "m": lambda value: f"{value.month:02d}",
            "P": twelve_hour,
            "H": lambda value: f"{value.hour:02d}",
            "i": lambda value: f"{value.minute:02d}",
        }
        self.formats = {
            kind: self.compile(formats.get_format(kind))
            for kind in ("DATETIME_FORMAT", "DATE_FORMAT", "TIME_FORMAT")
        }

    def compile(self, format_string):
        """The format as a list of text and specifier functions, as `Formatter.format`
        splits it; with a time specifier, it is not for dates (Django refuses: TypeError)."""
        parts, has_time = [], False
        for index, piece in enumerate(dateformat.re_formatchars.split(str(format_string))):
            if index % 2:
                has_time = has_time or hasattr(dateformat.TimeFormat, piece)
                parts.append(self.quick.get(piece) or self.slow(piece))
            elif piece:
                parts.append(dateformat.re_escaped.sub(r"\1", piece))
        return format_string, parts, has_time

    @staticmethod
    def slow(piece):
        return lambda value: str(getattr(dateformat.DateFormat(value), piece)())

    def __call__(self, value, local=True) -> str:
        """`local`: converted to the current time zone first, as `template_localtime`."""
        if isinstance(value, datetime.datetime):
            if (
                local
                and self.timezone is not None
                and value.utcoffset() is not None
                and getattr(value, "convert_to_local_time", True)
            ):
                value = value.astimezone(self.timezone)
            kind = "DATETIME_FORMAT"
        else:
            kind = "DATE_FORMAT" if isinstance(value, datetime.date) else "TIME_FORMAT"
        format_string, parts, has_time = self.formats[kind]
        if has_time and type(value) is datetime.date:
            return dateformat.format(value, format_string)  # raises as Django does
        return "".join(part if isinstance(part, str) else part(value) for part in parts)


@lru_cache(maxsize=64)
def _date_text(language, zone) -> DateText:
    return DateText()


def date_text() -> DateText:
    """The active language's and time zone's `DateText`, compiled once for each: for an
    admin method that writes a date into its own markup, as the list writes the others."""
    return _date_text(translation.get_language(), timezone.get_current_timezone_name())


@receiver(setting_changed)
def _forget_date_texts(*, setting, **kwargs):
    if setting.endswith("_FORMAT") or setting in {
        "FORMAT_MODULE_PATH", "LANGUAGE_CODE", "LANGUAGES", "TIME_ZONE", "USE_TZ",
    }:  # fmt: skip
        _date_text.cache_clear()


class RowDrawer:
    """A changelist's rows as `items_for_result` draws them, each row one string. Each column
    becomes a function of the row, chosen once: `column` says which."""

    def __init__(self, cl):
        self.cl = cl
        self.date_text = date_text()
        self._icons = {value: _boolean_icon(value) for value in (True, False, None)}
        self.empty = cl.model_admin.get_empty_value_display()
        self.plain_numbers = not settings.USE_THOUSAND_SEPARATOR  # a whole number as it is
        quick_links = getattr(cl, "link_filters", None) is not None  # QuickLinksChangeList
        self.preserved = (
            None if quick_links else {"preserved_filters": cl.preserved_filters, "opts": cl.opts}
        )
        self.popup_attr = str(cl.to_field) if cl.to_field else cl.lookup_opts.pk.attname
        links, first, self.columns = cl.list_display_links, True, []
        for index, name in enumerate(cl.list_display):
            # As `items_for_result`: the first column links when none are named.
            link = links is not None and ((first and not links) or name in links)
            self.columns.append(self.column(index, name, ("th" if first else "td") if link else ""))
            first = first and not link

    def rows(self):
        for result in self.cl.result_list:
            cells = "".join(column(result) for column in self.columns)
            yield mark_safe(cells)  # noqa: S308 — every cell's text is escaped by `cell`

    def column(self, index, name, link_tag):
        """The function drawing this column's cell of a row: how its value is found and shown
        depends on what the name names, which is the same on every row."""
        classes = f"field-{_coerce_field_name(name, index)}"
        try:
            field = None if callable(name) else _get_non_gfk_field(self.cl.lookup_opts, name)
        except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):  # as `lookup_field`
            field = None
        if field is not None and not field.auto_created:
            nowrap = isinstance(field, models.DateField | models.TimeField | models.ForeignKey)
            return partial(
                self.cell,
                lambda result: (None, getattr(result, name)),
                self.field_text(field, avoid_link=bool(link_tag)),
                classes + " nowrap" if nowrap else classes,
                None,
                link_tag,
            )
        if field is not None:  # the automatic primary key: shown as a value
            value, attr = (lambda result: (None, getattr(result, name))), None
        elif callable(name):
            value, attr = (lambda result: (name, name(result))), name
        elif hasattr(self.cl.model_admin, name) and name != "__str__":
            method = getattr(self.cl.model_admin, name)
            own = getattr(method, "__func__", None) is admin.ModelAdmin.action_checkbox
            if name == "action_checkbox" and own:
                method = checkbox()  # Django's own: its markup, made here
            value, attr = (lambda result: (method, method(result))), method
        elif name == "__str__":  # the row's own name: its model's __str__, as Django calls it
            value, attr = (lambda result: (None, str(result))), self.cl.model.__str__
        else:  # a model attribute or a lookup path: found row by row, as Django finds it
            value = lambda result: lookup_field(name, result, self.cl.model_admin)[1:]  # noqa: E731
            attr = ROW_BY_ROW
        # The attribute's display options, read once unless the attribute is the row's own.
        text = self.value_text
        if attr is not ROW_BY_ROW:
            text = partial(self.value_text, options=self.options(attr))
        if name == "action_checkbox":
            classes = "action-checkbox"
        return partial(self.cell, value, text, classes, classes + " nowrap", link_tag)

    def cell(self, value, text, classes, date_classes, link_tag, result) -> str:
        """One cell: `value` finds (attribute, value), `text` shows it; `date_classes`, if
        given, are the classes when the value is a date or time."""
        try:
            attr, found = value(result)
        except ObjectDoesNotExist:
            shown = self.empty
        else:
            if isinstance(found, str) and found.strip() == "":
                found = ""
            shown = text(attr, found)
            if date_classes is not None and isinstance(found, datetime.date | datetime.time):
                classes = date_classes
        if link_tag:
            return f'<{link_tag} class="{classes}">{self.linked(result, shown)}</{link_tag}>'
        return f'<td class="{classes}">{escaped(shown)}</td>'

    def options(self, attr) -> tuple[bool, str]:
        """The column's (boolean, empty_value_display), as `items_for_result` reads them."""
        boolean = getattr(attr, "boolean", False)
        if isinstance(attr, property) and hasattr(attr, "fget"):
            boolean = getattr(attr.fget, "boolean", False)
        return boolean, getattr(attr, "empty_value_display", self.empty)

    def value_text(self, attr, value, options=None):
        """`display_for_value`, with the column's own empty text and boolean flag."""
        boolean, empty = options or self.options(attr)
        if boolean:
            return self.icon(value)
        if isinstance(value, datetime.date | datetime.time):
            return self.date_text(value)
        if type(value) is str or isinstance(value, SafeString):
            return value or empty
        if type(value) is int and self.plain_numbers:  # `number_format`'s answer, without
            return str(value)  # its three look-ups of the language's formats
        return display_for_value(value, empty)

    def field_text(self, field, avoid_link):
        """`display_for_field` for this field (a foreign key: the related row, as
        `items_for_result`), with its choices, icons and date formats read once."""
        empty = self.empty
        if isinstance(field.remote_field, models.ManyToOneRel):  # the related row itself
            return lambda attr, value: empty if value is None else value
        if getattr(field, "flatchoices", None):
            try:
                choices = dict(field.flatchoices)
            except TypeError:  # choices of lists: Django's own lookup, cell by cell
                pass
            else:

                def choice(attr, value):
                    try:
                        return choices.get(value, empty)
                    except TypeError:  # an unhashable value: Django's lookup
                        return display_for_field(value, field, empty, avoid_link)

                return choice
        elif isinstance(field, models.BooleanField):
            return lambda attr, value: self.icon(value)
        elif isinstance(field, models.DateField | models.TimeField):
            local = isinstance(field, models.DateTimeField)

            def date(attr, value):
                if value in field.empty_values:
                    return empty
                return self.date_text(value, local=local)

            return date
        elif isinstance(field, models.IntegerField) and self.plain_numbers:

            def number(attr, value):
                if value in field.empty_values:
                    return empty
                return str(value) if type(value) is int else display_for_field(value, field, empty)

            return number
        elif isinstance(field, models.CharField | models.TextField) and not isinstance(
            field, models.URLField
        ):

            def text(attr, value):
                if value in field.empty_values:
                    return empty
                return value if type(value) is str else display_for_value(value, empty)

            return text
        return lambda attr, value: display_for_field(value, field, empty, avoid_link)

    def icon(self, value) -> SafeString:
        # The alt text is the value itself: 1 is drawn as "yes" with alt="1", not "True".
        known = value is True or value is False or value is None
        return self._icons[value] if known else _boolean_icon(value)

    def linked(self, result, text) -> str:
        try:
            url = self.cl.url_for_result(result)
        except NoReverseMatch:
            return escaped(text)
        if self.preserved is not None:  # QuickLinksChangeList has added them already
            url = add_preserved_filters(self.preserved, url)
        opener = ""
        if self.cl.is_popup:
            opener = f' data-popup-opener="{escaped(result.serializable_value(self.popup_attr))}"'
        return f'<a href="{escaped(url)}"{opener}>{escaped(text)}</a>'


def checkbox():
    """`ModelAdmin.action_checkbox`'s markup, made directly: Django renders each row's
    checkbox through the form widget templates, close to 1 ms a row, more than all of the
    row's other cells (100 questions took 146 ms to draw, 58 ms without). Its label is
    translated once per page."""
    label = gettext("Select this object for an action - {}")
    start = f'<input type="checkbox" name="{ACTION_CHECKBOX_NAME}" value="'

    def box(obj) -> SafeString:
        return mark_safe(  # noqa: S308 — the object's name and id escaped, as the widget does
            f'{start}{escaped(str(obj.pk))}" class="action-select" '
            f'aria-label="{label.format(escaped(obj))}">'
        )

    return box


def escaped(value) -> str:
    """`conditional_escape`, without the lazy-text check `escape` makes of its arguments
    first (a third of a cell's cost here)."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))
