"""The admin's import: upload -> preview -> confirm (see references/importing.py for why the
confirmation re-reads a signed copy of the file instead of trusting the preview's form).
Those who may add references may import; uploads are capped in size and counted per person."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django_ratelimit.core import get_usage

from . import importers, importing
from .models import Reference

# Each upload is parsed and checked against the library; a person importing by hand does a
# few a minute at most.
IMPORT_LIMIT = {"group": "references.import", "key": "user", "rate": "30/h"}


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text="RIS, BibTeX, PubMed (MEDLINE/.nbib) or CSL-JSON, as exported by a "
        f"reference manager or PubMed; at most {importing.MAX_UPLOAD_BYTES // 1024 // 1024} MB."
    )
    format = forms.ChoiceField(
        choices=[("", "Recognize it from the file")] + list(importers.FORMATS.items()),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > importing.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is "
                f"{importing.MAX_UPLOAD_BYTES // 1024 // 1024} MB. Split it into smaller files."
            )
        return upload


class ConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)


def _context(model_admin, request, **extra):
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Import references",
        **extra,
    }


def _limited(request) -> bool:
    usage = get_usage(request, increment=True, **IMPORT_LIMIT)
    return bool(usage and usage["should_limit"])


def import_view(request, model_admin):
    """GET: the upload form. POST: read the upload and show the preview (nothing written)."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if _limited(request):
            form.add_error(None, "Too many imports in the last hour: try again later.")
        else:
            upload = form.cleaned_data["file"]
            try:
                text = importing.decode(upload.read())
                fmt = form.cleaned_data["format"] or importers.detect(text, upload.name)
                if fmt is None:
                    raise importing.ImportFailed(
                        "The format could not be recognized: choose it in the list."
                    )
                plan = importing.plan(text, fmt, upload.name)
            except importing.ImportFailed as error:
                form.add_error("file", str(error))
            else:
                token = importing.sign(fmt, upload.name, text, request.user)
                limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE  # None: no limit
                if limit is not None and len(token) > limit - 64 * 1024:
                    # The confirmation posts the signed copy back; typical exports compress
                    # five to twenty times, so only unusual files get here.
                    form.add_error("file", "This file is too large to confirm in one go: split it.")
                else:
                    return _preview(request, model_admin, plan, token)
    return TemplateResponse(
        request, "admin/references/reference/import.html", _context(model_admin, request, form=form)
    )


def _shown(fields: dict) -> dict:
    return fields | {"kind": Reference.Kind(fields["kind"]).label}


def _preview(request, model_admin, plan, token, status=200):
    for row in plan.rows:
        row.shown = _shown(row.entry.fields)
        row.library = _shown(row.match.displayed()) if row.match else None
    confirm = ConfirmForm(initial={"token": token, "fingerprint": plan.fingerprint()})
    context = _context(
        model_admin,
        request,
        plan=plan,
        confirm=confirm,
        format_label=importers.FORMATS[plan.fmt],
        counts={s: plan.count(s) for s in ("new", "duplicate", "conflict", "error")},
    )
    return TemplateResponse(
        request, "admin/references/reference/import_preview.html", context, status=status
    )


def confirm_view(request, model_admin):
    """POST only: write the new entries of the signed file, re-read and re-checked now."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ConfirmForm(request.POST)
    try:
        if not form.is_valid():
            raise importing.ImportFailed("The import could not be verified: upload the file again.")
        fmt, name, text = importing.unsign(form.cleaned_data["token"], request.user)
        plan = importing.apply(
            text, fmt, name, by=request.user, expected=form.cleaned_data["fingerprint"]
        )
    except importing.PlanChanged as changed:
        messages.warning(request, str(changed))
        return _preview(request, model_admin, changed.plan, form.cleaned_data["token"], 409)
    except importing.ImportFailed as error:
        messages.error(request, str(error))
        return redirect(reverse("admin:references_reference_import"))
    added = len(plan.new)
    skipped = len(plan.rows) - added
    left = f"; {skipped} entr{'y was' if skipped == 1 else 'ies were'} left out" if skipped else ""
    messages.success(request, f"Imported {added} reference(s) from {name}{left}.")
    return redirect(reverse("admin:references_reference_changelist"))
