from django import forms
from django.contrib.auth import get_user_model

from articles.validators import CHANGE_SUMMARY_MAX_LENGTH, clean_change_summary

from .workflow import TRANSITIONS


class PersonChoiceField(forms.ModelChoiceField):
    """People by name, as the rest of the review screen shows them (the username if none),
    with the specialties a board member declared, so a chief editor assigns knowingly
    (prefetch `reviewer_profile__specialties`)."""

    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.get_username()
        profile = getattr(obj, "reviewer_profile", None)
        declared = profile.specialty_names if profile is not None else []
        return f"{name} ({', '.join(declared)})" if declared else name


class ReviewActionForm(forms.Form):
    """One form for every action on the review screen; the service decides what is allowed."""

    ACTIONS = [(t.action, t.label) for t in TRANSITIONS if t.on_review_screen]

    action = forms.ChoiceField(choices=ACTIONS)
    comment = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4, "cols": 80}), strip=True
    )
    seen_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Approving or confirming outside one's declared specialties (`reviews.specialties`):
    # the screen labels the box with the article's specialty.
    outside_specialty = forms.BooleanField(required=False)
    # Submitting: one line for readers' review history, stored with the submission.
    change_summary = forms.CharField(
        required=False,
        strip=True,
        label="What changed, for readers",
        help_text=(
            "One line, shown in the article’s review history once this revision is approved, "
            "for example “Added advice for people over 80.” Leave it empty when nothing "
            "material changed; readers then see “No material change” (or “First review”)."
        ),
        widget=forms.TextInput(attrs={"size": 80, "maxlength": CHANGE_SUMMARY_MAX_LENGTH}),
    )
    # Taking over a review: the taker's reason, and who held the review on their screen.
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        strip=True,
        label="Reason for taking over",
    )
    seen_holder = forms.IntegerField(required=False, widget=forms.HiddenInput)
    section_position = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="About section"
    )
    reviewer = PersonChoiceField(
        queryset=get_user_model().objects.none(), required=False, label="Reviewer"
    )

    def __init__(self, *args, sections=(), reviewers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section_position"].choices = [("", "The whole article")] + [
            (s.position, f"{s.position}. {s.heading}") for s in sections
        ]
        if reviewers is not None:
            self.fields["reviewer"].queryset = reviewers

    def clean_change_summary(self):
        """Checked only when submitting: other actions ignore it, as submitting ignores the
        comment."""
        if self.cleaned_data.get("action") != "submit":
            return ""
        return clean_change_summary(self.cleaned_data["change_summary"])
