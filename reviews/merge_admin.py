"""The duplicate merge in the reference admin: the library's admin, re-registered from this
app with one more page, `<id>/merge/` (references can't import the articles it would edit).
Chief editors only (`merging.may_merge`); a confirmation page lists the articles that will be
edited before anything is written."""

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from references.admin import ReferenceAdmin
from references.citations import canonical_key
from references.models import Reference

from . import merging


class MergeForm(forms.Form):
    into = forms.CharField(
        label="Key of the reference to keep",
        max_length=80,
        help_text="The duplicate's citations will cite this reference instead.",
    )

    def __init__(self, *args, duplicate: Reference, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicate = duplicate

    def clean_into(self):
        key = canonical_key(self.cleaned_data["into"].strip().removeprefix("[@").rstrip("]"))
        kept = Reference.objects.filter(key=key).first()
        if kept is None:
            raise forms.ValidationError(f"No reference has the key “{key}”.")
        if kept.pk == self.duplicate.pk:
            raise forms.ValidationError("That is this reference: choose the one to keep.")
        if kept.merged_into_id:
            raise forms.ValidationError(
                f"[@{kept.key}] was itself merged into [@{kept.merged_into.key}]: "
                "merge into that one."
            )
        return kept


def merge_view(request, object_id, model_admin):
    if not merging.may_merge(request.user):
        raise PermissionDenied
    duplicate = get_object_or_404(Reference, pk=object_id)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Reference._meta,
        "title": f"Merge [@{duplicate.key}] into another reference",
        "duplicate": duplicate,
    }
    if duplicate.merged_into_id:
        messages.error(request, f"[@{duplicate.key}] was already merged.")
        return redirect(reverse("admin:references_reference_change", args=[duplicate.pk]))
    form = MergeForm(request.POST or None, duplicate=duplicate, initial=request.GET)
    if request.method == "POST" and form.is_valid():
        kept = form.cleaned_data["into"]
        if request.POST.get("confirmed") != "yes":
            articles = merging.articles_citing(duplicate)
            return TemplateResponse(
                request,
                "admin/references/reference/merge_confirm.html",
                {**context, "form": form, "kept": kept, "articles": articles},
            )
        try:
            result = merging.merge(duplicate, kept, by=request.user)
        except merging.MergeError as error:
            form.add_error(None, str(error))
        else:
            _report(request, result)
            return redirect(reverse("admin:references_reference_change", args=[kept.pk]))
    return TemplateResponse(
        request, "admin/references/reference/merge.html", {**context, "form": form}
    )


def _report(request, result: merging.MergeResult) -> None:
    edited = len(result.edited)
    messages.success(
        request,
        f"[@{result.merged.key}] was merged into [@{result.kept.key}]: {edited} article(s) "
        f"edited, {len(result.submitted)} of them sent back for review. Approved pages show "
        "their approved revision until the new one is approved.",
    )
    for article in result.edited:
        if article.pk in result.left_as_draft:
            messages.warning(
                request, f"“{article}” stays a draft: {result.left_as_draft[article.pk]}"
            )


class MergingReferenceAdmin(ReferenceAdmin):
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/merge/",
                wrap(partial(merge_view, model_admin=self)),
                name="references_reference_merge",
            ),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if merging.may_merge(request.user):
            extra_context["merge_url"] = reverse(
                "admin:references_reference_merge", args=[object_id]
            )
        return super().change_view(request, object_id, form_url, extra_context)


def register(site=admin.site) -> None:
    """Replace the library's admin with this one (idempotent)."""
    if site.is_registered(Reference):
        if isinstance(site._registry[Reference], MergingReferenceAdmin):
            return
        site.unregister(Reference)
    site.register(Reference, MergingReferenceAdmin)


register()
