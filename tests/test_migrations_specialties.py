"""articles 0024: the board's free-text specialties become `Specialty` records, run forward on
data in the old schema. Names that differ only in case and spacing become one specialty the
profiles share, and each topic belongs to the specialty named like it (an existing one when
there is one, a new one otherwise)."""

import pytest

from tests import test_migrations

executor = test_migrations.executor  # the fixture: migrate back, then restore the latest

# The last nodes before specialties: reviews 0007 builds on articles 0024.
BEFORE = [
    ("articles", "0023_review_reminder"),
    ("reviews", "0006_roles_follow_moved_models"),
]
AFTER = [("articles", "0024_specialties")]


@pytest.mark.django_db(transaction=True)
def test_profile_specialties_and_topics_become_specialty_records(executor):
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User = old.get_model("auth", "User")
    ReviewerProfile = old.get_model("articles", "ReviewerProfile")
    Topic = old.get_model("articles", "Topic")

    def profile(username: str, specialty: str):
        user = User.objects.create(username=username, email=f"{username}@example.org")
        return ReviewerProfile.objects.create(
            user=user,
            slug=username,
            display_name=username.title(),
            credentials="MD",
            specialty=specialty,
            disclosures="None declared.",
        )

    ana = profile("ana", "Cardiology")
    bo = profile("bo", "cardiology ")
    cy = profile("cy", "Infectious  diseases")
    oncology = Topic.objects.create(name="Oncology", slug="oncology")
    heart = Topic.objects.create(name="CARDIOLOGY", slug="heart")

    executor.loader.build_graph()
    executor.migrate(AFTER)

    new = executor.loader.project_state(AFTER).apps
    Specialty = new.get_model("articles", "Specialty")
    ReviewerProfile = new.get_model("articles", "ReviewerProfile")
    Topic = new.get_model("articles", "Topic")

    # "Cardiology" and "cardiology " are one specialty, under the first spelling met.
    cardiology = Specialty.objects.get(name__iexact="cardiology")
    assert (cardiology.name, cardiology.slug) == ("Cardiology", "cardiology")
    for member in (ana, bo):
        declared = ReviewerProfile.objects.get(pk=member.pk).specialties.all()
        assert list(declared) == [cardiology]
    assert set(cardiology.board_members.values_list("pk", flat=True)) == {ana.pk, bo.pk}
    # Spacing inside a name is tidied too.
    assert [s.name for s in ReviewerProfile.objects.get(pk=cy.pk).specialties.all()] == [
        "Infectious diseases"
    ]

    # A topic takes the specialty of its own name: a new one, or the one already there.
    oncology_specialty = Topic.objects.get(pk=oncology.pk).specialty
    assert (oncology_specialty.name, oncology_specialty.slug) == ("Oncology", "oncology")
    assert Topic.objects.get(pk=heart.pk).specialty_id == cardiology.pk
    assert not Topic.objects.get(pk=oncology.pk).requires_specialty_match
    assert sorted(Specialty.objects.values_list("name", flat=True)) == [
        "Cardiology",
        "Infectious diseases",
        "Oncology",
    ]
