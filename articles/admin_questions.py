"""Reader and editorial questions in the admin: triage (accept, decline), answering them with
an approved article (the asker is told: `articles.questions`), and their history, which shows
askers' contact details only to those who may see them."""

import dataclasses

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import transaction
from django.db.models.constants import LOOKUP_SEP
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from simple_history.template_utils import HistoricalRecordContextHelper

from config.admin_base import LongListAdmin, ReadOnlyHistoryAdmin

from . import questions
from .models import Article, Question


class QuestionAdminForm(forms.ModelForm):
    """Triage. A question is answered with an approved article; `QuestionAdmin.save_model`
    then answers it through `articles.questions.mark_answered`, which tells the asker."""

    class Meta:
        model = Question
        fields = [
            "text", "source", "follow_up_to", "status", "answer", "triage_note", "asker_email",
        ]  # fmt: skip
        error_messages = {
            # `answer` offers approved articles only (limit_choices_to): say why, not just no.
            "answer": {
                "invalid_choice": "Only an approved article can answer a reader's question: "
                "this one has no approved revision yet. Choose another, or wait for its approval."
            }
        }

    def clean(self):
        cleaned = super().clean()
        if not {"status", "answer"} & set(self.changed_data):
            return cleaned  # a question answered before keeps its state when a note changes
        status, answer = cleaned.get("status"), cleaned.get("answer")
        # A reader is answered with an article; an editor's question by the article written
        # for it (Article.question), which needs no link here.
        from_reader = cleaned.get("source") == Question.Source.READER
        missing = answer is None and "answer" not in self.errors
        if status == Question.Status.ANSWERED and from_reader and missing:
            self.add_error(
                "answer", "Choose the approved article that answers this reader's question."
            )
        if answer is not None and status != Question.Status.ANSWERED:
            self.add_error(
                "status",
                "A question with an answering article is answered: set the status to "
                "“Answered”, or clear the article.",
            )
        if answer is not None and answer.approval_id is None:
            self.add_error("answer", questions.not_approved(answer))
        return cleaned


class AnswerQuestionsForm(forms.Form):
    """The "Mark as answered" action's own page: which article answers the chosen questions."""

    article = forms.ModelChoiceField(
        queryset=Article.objects.all(),
        label="Answered by",
        help_text="An article the Medical Advisory Board has approved: type a few words of its "
        "headline. Askers who left an e-mail address are sent a link to it, once.",
        error_messages={"required": "Choose the approved article that answers these questions."},
    )

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        # The same search as the change form's `answer` field (the article admin's).
        field = self.fields["article"]
        field.widget = AutocompleteSelect(Question._meta.get_field("answer"), admin_site)
        field.widget.choices = field.choices

    def clean_article(self):
        article = self.cleaned_data["article"]
        if article.approval_id is None:
            raise forms.ValidationError(questions.not_approved(article))
        return article


ASKER_FIELDS = ("asker_email",)


def sees_askers(request) -> bool:
    """Askers' e-mail addresses are for the people who triage questions (and write to the
    askers), never for the rest of the staff: board members read questions without them."""
    return request.user.has_perm("articles.change_question")


class _HistoryWithoutAskers(HistoricalRecordContextHelper):
    """A question's past versions, with changes to the asker's address left out."""

    def context_for_delta_changes(self, delta):
        kept = [change for change in delta.changes if change.field not in ASKER_FIELDS]
        return super().context_for_delta_changes(
            dataclasses.replace(
                delta, changes=kept, changed_fields=[change.field for change in kept]
            )
        )


@admin.register(Question)
class QuestionAdmin(LongListAdmin, ReadOnlyHistoryAdmin):
    """Questions, including readers' follow-ups: filter on "New — awaiting triage" to triage.
    Answering one (the `answer` field here, or the "Mark as answered" action for several)
    goes through `articles.questions.mark_answered`, which e-mails the asker once."""

    form = QuestionAdminForm
    ids_first = True  # a page's ids from the (created, id) index: see IdsFirstPaginator
    list_display = ["__str__", "source", "status", "follow_up_to", "answer", "created_at"]
    list_filter = ["status", "source"]
    list_select_related = ["follow_up_to", "answer"]
    list_related_fields = {"follow_up_to": ["headline"], "answer": ["headline"]}
    search_fields = ["text", "asker_email"]
    readonly_fields = ["created_at", "answer_sent_at"]
    raw_id_fields = ["follow_up_to"]
    autocomplete_fields = ["answer"]
    fieldsets = [
        (None, {"fields": ["text", "source", "follow_up_to", "created_at"]}),
        ("Triage", {"fields": ["status", "answer", "answer_sent_at", "triage_note"]}),
        (
            "Asker",
            {
                "fields": ASKER_FIELDS,
                "description": "Only people who triage questions see the asker's address.",
            },
        ),
    ]
    actions = ["mark_accepted", "mark_declined", "mark_answered"]

    # -- the asker's address: for those who triage only --------------------------------------

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if sees_askers(request):
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in ASKER_FIELDS]})
            for name, options in fieldsets
            if set(options["fields"]) - set(ASKER_FIELDS)
        ]

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        return exclude if sees_askers(request) else [*exclude, *ASKER_FIELDS]

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        return fields if sees_askers(request) else [f for f in fields if f not in ASKER_FIELDS]

    def get_search_results(self, request, queryset, search_term):
        # A list counted in full (with bulk actions): each word's questions looked up first
        # (`QuestionQuerySet.containing`). Counted one past the page (the article form's
        # question picker, a list without actions): Django's search, whose walk in the
        # list's order stops at the page's last match.
        if not search_term or self.count_capped(request):
            return super().get_search_results(request, queryset, search_term)
        return queryset.containing(search_term, self.get_search_fields(request)), False

    def lookup_allowed(self, lookup, value, request=None):
        # `?asker_email__startswith=a` on the list would let anyone guess addresses.
        hidden = request is None or not sees_askers(request)
        if lookup.split(LOOKUP_SEP)[0] in ASKER_FIELDS and hidden:
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_historical_record_context_helper(self, request, historical_record):
        if sees_askers(request):
            return super().get_historical_record_context_helper(request, historical_record)
        return _HistoryWithoutAskers(self.model, historical_record)

    # -- answering ---------------------------------------------------------------------------

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "answer" and formfield is not None:
            # Answered with an article that exists and is approved: no writing one from here.
            formfield.widget.can_add_related = formfield.widget.can_change_related = False
        return formfield

    def save_model(self, request, obj, form, change):
        answering = (
            obj.status == Question.Status.ANSWERED
            and obj.answer is not None
            and (not change or {"status", "answer"} & set(form.changed_data))
        )
        if not answering:
            super().save_model(request, obj, form, change)
            return
        # The service sets status and answer, under the row lock, and tells the asker.
        answer = obj.answer
        if change:
            stored = Question.objects.get(pk=obj.pk)
            obj.status, obj.answer = stored.status, stored.answer
        else:
            obj.status, obj.answer = Question.Status.NEW, None
        if not change or set(form.changed_data) - {"status", "answer"}:
            super().save_model(request, obj, form, change)
        try:
            result = questions.mark_answered(obj, answer, by=request.user)
        except questions.AnswerError as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self._report(request, [result], answer)

    @admin.action(description="Mark as answered with an article…", permissions=["change"])
    def mark_answered(self, request, queryset):
        form = AnswerQuestionsForm(
            request.POST if "apply" in request.POST else None, admin_site=self.admin_site
        )
        if form.is_bound and form.is_valid():
            article, results = form.cleaned_data["article"], []
            try:
                with transaction.atomic():
                    for question in queryset.order_by("pk"):
                        results.append(questions.mark_answered(question, article, by=request.user))
            except questions.AnswerError as error:  # unapproved since the form was checked
                self.message_user(request, str(error), messages.ERROR)
                return None
            self._report(request, results, article)
            return None  # back to the list
        context = {
            **self.admin_site.each_context(request),
            "title": "Mark as answered",
            "opts": self.model._meta,
            "questions": list(queryset),
            "form": form,
            "media": self.media + form.media,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/articles/question/mark_answered.html", context)

    def _report(self, request, results, article) -> None:
        count = len(results)
        lines = [f"{count} question{pluralize(count)} marked answered by “{article}”."]
        emailed = sum(result.emailed for result in results)
        if emailed:
            lines.append(
                f"{emailed} asker{pluralize(emailed)} will be sent a link to it by e-mail."
            )
        before = sum(result.already_emailed for result in results)
        if before:
            lines.append(
                f"{before} asker{pluralize(before)} had been sent an answer before and "
                f"{pluralize(before, 'was,were')} not e-mailed again."
            )
        self.message_user(request, " ".join(lines))

    # -- accepting and declining -------------------------------------------------------------

    @admin.action(description="Accept for answering", permissions=["change"])
    def mark_accepted(self, request, queryset):
        self._set_status(request, queryset, Question.Status.ACCEPTED)

    @admin.action(description="Decline", permissions=["change"])
    def mark_declined(self, request, queryset):
        self._set_status(request, queryset, Question.Status.DECLINED)

    def _set_status(self, request, queryset, status):
        """Saved one by one, so each change is in the question's history with who made it.
        Answered questions keep their answer and state."""
        changed = answered = 0
        with transaction.atomic():
            chosen = list(queryset.values_list("pk", flat=True))
            for question in Question.objects.select_for_update().filter(pk__in=chosen):
                if question.status == Question.Status.ANSWERED:
                    answered += 1
                elif question.status != status:
                    question.status = status
                    question._history_user = request.user
                    question.save(update_fields=["status"])
                    changed += 1
        message = f"{changed} question{pluralize(changed)} marked “{status.label}”."
        if answered:
            message += (
                f" {answered} answered question{pluralize(answered)} kept "
                f"{pluralize(answered, 'its,their')} answer."
            )
        self.message_user(request, message)
