"""The admin's import: upload, preview (nothing written), confirm (all or nothing), for those
who may add references; the confirmation trusts nothing the browser could alter."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from references import admin_import, importing
from references.models import Reference
from reviews import roles
from tests.factories import ReferenceFactory, logged_in, staff

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"
IMPORT = reverse("admin:references_reference_import")
CONFIRM = reverse("admin:references_reference_import_confirm")


def upload(client, name="library.ris", content=None, fmt=""):
    content = (SAMPLES / name).read_bytes() if content is None else content
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content), "format": fmt})


def confirm_data(response) -> dict:
    html = response.content.decode()
    return {
        name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1)
        for name in ("token", "fingerprint")
    }


@pytest.fixture
def editor():
    return staff(roles.EDITORS, first_name="Edith", last_name="Editor")


def test_the_changelist_offers_the_import_to_those_who_may_add(editor):
    html = logged_in(editor).get(reverse("admin:references_reference_changelist")).content
    assert IMPORT.encode() in html
    board = staff(roles.MEDICAL_ADVISORY_BOARD)
    html = logged_in(board).get(reverse("admin:references_reference_changelist")).content
    assert IMPORT.encode() not in html


def test_those_who_may_not_add_references_cannot_import():
    client = logged_in(staff(roles.MEDICAL_ADVISORY_BOARD))
    assert client.get(IMPORT).status_code == 403
    assert upload(client).status_code == 403
    assert client.post(CONFIRM, {"token": "x", "fingerprint": "y"}).status_code == 403
    assert not Reference.objects.exists()


def test_preview_lists_every_entry_and_writes_nothing(editor):
    ReferenceFactory(key="esh-2023", title="ESH hypertension guideline")
    ReferenceFactory(key="tanaka-2017", doi="10.5555/vetted.2017.777")
    response = upload(logged_in(editor))
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 new" in html
    assert html.count('class="import-new"') == 3
    assert html.count('class="import-duplicate"') == 2
    assert html.count('class="import-conflict"') == 1
    assert html.count('class="import-error"') == 3
    assert "Year 3025 is outside 1800–2100." in html
    assert "ESH hypertension guideline" in html  # the library's side of the conflict
    assert "Ødegård K, Çelik E, Nguyễn TL, et al." in html
    assert "Systematic review" in html  # types by their names
    assert Reference.objects.count() == 2


def test_confirm_writes_the_new_entries_with_history(editor):
    client = logged_in(editor)
    preview = upload(client, "library.bib")
    response = client.post(CONFIRM, confirm_data(preview))
    assert response.status_code == 302
    assert set(Reference.objects.values_list("key", flat=True)) == {
        "okafor2021",
        "ostergaard2022",
        "esh-2023",
    }
    okafor = Reference.objects.get(key="okafor2021")
    assert okafor.authors == "Okafor C, Müller AL"
    assert okafor.pages == "201-209"
    version = okafor.history.get()
    assert version.history_user == editor
    assert version.history_change_reason == "Imported from library.bib (BibTeX (.bib))"
    assert okafor.displayed_hash  # saved through the model, its digest kept
    followed = client.get(response.url)
    assert "Imported 3 reference(s) from library.bib; 4 entries were left out." in (
        followed.content.decode()
    )


def test_importing_the_same_file_again_finds_only_duplicates(editor):
    client = logged_in(editor)
    client.post(CONFIRM, confirm_data(upload(client, "library.json")))
    count = Reference.objects.count()
    again = upload(client, "library.json")
    assert "0 new" in again.content.decode()
    assert "Nothing in this file is new" in again.content.decode()
    assert Reference.objects.count() == count


def test_a_tampered_token_writes_nothing(editor):
    client = logged_in(editor)
    data = confirm_data(upload(client))
    data["token"] = data["token"][:-3] + ("AAA" if not data["token"].endswith("AAA") else "BBB")
    response = client.post(CONFIRM, data, follow=True)
    assert "could not be verified" in response.content.decode()
    assert not Reference.objects.exists()


def test_another_users_token_is_refused(editor):
    data = confirm_data(upload(logged_in(editor)))
    other = logged_in(staff(roles.EDITORS))
    response = other.post(CONFIRM, data, follow=True)
    assert "could not be verified" in response.content.decode()
    assert not Reference.objects.exists()


def test_a_library_changed_since_the_preview_shows_the_new_preview(editor):
    client = logged_in(editor)
    data = confirm_data(upload(client))
    ReferenceFactory(key="someone-else", doi="10.5555/vetted.2022.101")
    response = client.post(CONFIRM, data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "The library changed since the preview" in html
    assert "4 new" in html
    assert Reference.objects.count() == 1


def test_an_altered_fingerprint_writes_nothing(editor):
    client = logged_in(editor)
    data = confirm_data(upload(client)) | {"fingerprint": "0" * 64}
    assert client.post(CONFIRM, data).status_code == 409
    assert not Reference.objects.exists()


def test_the_import_is_all_or_nothing(editor, monkeypatch):
    client = logged_in(editor)
    data = confirm_data(upload(client))
    real = importing.bulk_create_with_history
    written = []

    def write_one_then_fail(objs, model, **kwargs):
        written.extend(real(objs[:1], model, **kwargs))  # the first entry is written…
        raise IntegrityError("UNIQUE constraint failed: references_reference.key")  # …then not

    monkeypatch.setattr(importing, "bulk_create_with_history", write_one_then_fail)
    response = client.post(CONFIRM, data, follow=True)
    html = response.content.decode()
    assert "Nothing was imported: the library refused an entry" in html
    assert "UNIQUE constraint" not in html  # no database message for editors
    assert [r.key for r in written] == ["okafor2021"]
    assert not Reference.objects.exists()
    assert not Reference.history.exists()


def test_an_invalid_entry_stops_the_whole_import(editor, monkeypatch):
    client = logged_in(editor)
    data = confirm_data(upload(client))
    monkeypatch.setattr(importing.Reference, "clean_fields", _invalid_second())
    response = client.post(CONFIRM, data, follow=True)
    assert "Nothing was imported: the entry on line 15 is not valid" in response.content.decode()
    assert not Reference.objects.exists()


def _invalid_second():
    seen = []

    def clean_fields(self, exclude=None):
        seen.append(self.key)
        if len(seen) == 2:
            raise ValidationError({"title": ["Not like this."]})

    return clean_fields


def test_uploads_over_the_cap_are_refused(editor, monkeypatch):
    monkeypatch.setattr(importing, "MAX_UPLOAD_BYTES", 1000)
    response = upload(logged_in(editor), content=b"TY  - JOUR\n" + b"x" * 1000)
    assert response.status_code == 200
    assert "the limit is" in response.context["form"].errors["file"][0]


def test_text_that_is_not_utf8_is_reported(editor):
    response = upload(logged_in(editor), content=b"TY  - JOUR\nTI  - caf\xe9\nER  - \n")
    assert "not UTF-8 text" in response.context["form"].errors["file"][0]
    assert "line 2" in response.context["form"].errors["file"][0]


def test_an_unrecognized_format_asks_for_a_choice_and_a_chosen_one_is_used(editor):
    client = logged_in(editor)
    response = upload(client, "notes.txt", content=b"just some notes")
    assert "choose it in the list" in response.context["form"].errors["file"][0]
    content = (SAMPLES / "library.nbib").read_bytes()
    response = upload(client, "export.txt", content=content, fmt="medline")
    assert response.status_code == 200
    assert "PubMed MEDLINE" in response.content.decode()


def test_file_content_is_escaped_in_the_preview(editor):
    content = b"TY  - JOUR\nTI  - <script>alert(1)</script>\nPY  - 2020\nER  - \n"
    html = upload(logged_in(editor), content=content).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_confirm_needs_csrf(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(CONFIRM, {"token": "x", "fingerprint": "y"}).status_code == 403


def test_imports_are_rate_limited(editor, monkeypatch):
    monkeypatch.setitem(admin_import.IMPORT_LIMIT, "rate", "1/h")
    monkeypatch.setitem(admin_import.IMPORT_LIMIT, "group", "references.import.test")
    client = logged_in(editor)
    assert "5 new" in upload(client).content.decode()
    response = upload(client)
    assert "Too many imports" in response.content.decode()


def test_a_file_whose_signed_copy_cannot_be_posted_back_is_refused(editor, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024 + 100
    response = upload(logged_in(editor))
    assert "too large to confirm in one go" in response.context["form"].errors["file"][0]
