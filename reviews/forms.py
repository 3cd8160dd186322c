from django import forms
from django.contrib.auth import get_user_model


class ReviewActionForm(forms.Form):
    """One form for every action on the review screen; the service decides what is allowed."""

    ACTIONS = [
        ("submit", "Submit for review"),
        ("start_review", "Start review"),
        ("assign", "Assign reviewer"),
        ("approve", "Approve"),
        ("request_changes", "Request changes"),
        ("comment", "Comment"),
        ("unpublish", "Unpublish"),
    ]

    action = forms.ChoiceField(choices=ACTIONS)
    comment = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4, "cols": 80}), strip=True
    )
    seen_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)
    section_position = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="About section"
    )
    reviewer = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False, label="Reviewer"
    )

    def __init__(self, *args, sections=(), reviewers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section_position"].choices = [("", "The whole article")] + [
            (s.position, f"{s.position}. {s.heading}") for s in sections
        ]
        if reviewers is not None:
            self.fields["reviewer"].queryset = reviewers
