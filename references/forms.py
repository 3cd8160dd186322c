"""The reference form: identifiers cleaned up as pasted, and every database constraint of
`Reference` turned into a message on the field concerned before the database sees it."""

from django import forms

from . import normalize
from .citations import canonical_key
from .models import YEAR_MAX, YEAR_MIN, Reference


def cited_by_message(reference: Reference, old_key: str) -> str | None:
    """Why the key of a cited reference must not change, or None if nothing cites it."""
    count, protected = reference.protected_by(named=5)
    if not count:
        return None
    names = "; ".join(str(obj) for obj in protected)
    more = f" and {count - len(protected)} more" if count > len(protected) else ""
    return (
        f"[@{old_key}] is cited by {count} revision(s) of articles: {names}{more}. "
        "Keep the key, so no citation is left pointing nowhere."
    )


class ReferenceForm(forms.ModelForm):
    # Plain text fields: the normalizers accept forms a URLField or the model's DOI pattern
    # would refuse ("https://doi.org/10…", "PMID: 123") and store the one canonical form.
    doi = forms.CharField(
        label="DOI",
        max_length=300,
        required=False,
        help_text="Paste it in any form (10.1056/…, doi:10.1056/…, https://doi.org/10.1056/…); "
        "it is stored bare and in lowercase.",
    )
    pmid = forms.CharField(
        label="PMID",
        max_length=80,
        required=False,
        help_text="The PubMed ID, or a pubmed.ncbi.nlm.nih.gov link to it.",
    )
    url = forms.CharField(
        label="URL",
        max_length=500,
        required=False,
        help_text="A web address starting with https:// or http://.",
    )

    class Meta:
        model = Reference
        fields = [
            "key",
            "kind",
            "title",
            "authors",
            "source",
            "year",
            "volume",
            "issue",
            "pages",
            "doi",
            "pmid",
            "url",
        ]

    def clean_key(self):
        key = canonical_key(self.cleaned_data["key"].strip())
        clash = (
            Reference.objects.filter(key__iexact=key).exclude(pk=self.instance.pk).first()
            if key
            else None
        )
        if clash is not None:
            raise forms.ValidationError(
                f"“{key}” is already the key of “{clash.title}” (keys are compared "
                "regardless of case). Choose another key, or edit that reference.",
                code="key_taken",
            )
        old = self.instance.key if self.instance.pk else None
        if old and key != canonical_key(old):
            message = cited_by_message(self.instance, old)
            if message:
                raise forms.ValidationError(message, code="key_cited")
        return key

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year is not None and not YEAR_MIN <= year <= YEAR_MAX:
            raise forms.ValidationError(
                f"{year} is not a plausible publication year: use a year between "
                f"{YEAR_MIN} and {YEAR_MAX}.",
                code="year_range",
            )
        return year

    def clean_kind(self):
        kind = self.cleaned_data.get("kind")
        if kind not in Reference.Kind.values:  # the choices already refuse it; belt and braces
            raise forms.ValidationError("Choose one of the listed types.", code="kind")
        return kind

    def clean_doi(self):
        return self._normalized("doi", normalize.doi)

    def clean_pmid(self):
        return self._normalized("pmid", normalize.pmid)

    def clean_url(self):
        return self._normalized("url", normalize.url)

    def _normalized(self, name, normalizer):
        try:
            value = normalizer(self.cleaned_data.get(name, ""))
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from None
        limit = Reference._meta.get_field(name).max_length
        if len(value) > limit:
            raise forms.ValidationError(f"At most {limit} characters.", code="max_length")
        return value
