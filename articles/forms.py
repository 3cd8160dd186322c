from django import forms

from .models import Question


class FollowUpQuestionForm(forms.ModelForm):
    """A reader's follow-up question. `website` is a honeypot: people never see it, simple bots
    fill it in, and the view then drops the submission without telling the bot."""

    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = Question
        fields = ["text", "asker_email"]
        labels = {
            "text": "Your question",
            "asker_email": "Email (optional)",
        }
        help_texts = {
            "text": f"Between {Question.MIN_LENGTH} and {Question.MAX_LENGTH} characters. "
            "Please leave out names and other details that could identify a patient.",
            "asker_email": "Only if you would like to hear when we answer. Never published.",
        }
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4, "maxlength": Question.MAX_LENGTH}),
            # Browsers and password managers offer the reader's own address, and only here.
            "asker_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        error_messages = {
            "text": {"required": "Please type your question before sending it."},
        }

    def clean_text(self):
        return " ".join(self.cleaned_data["text"].split()) if self.cleaned_data["text"] else ""

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def save_for(self, article) -> Question:
        question = super().save(commit=False)
        question.source = Question.Source.READER
        question.follow_up_to = article
        question.save()
        return question
