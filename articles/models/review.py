from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from ..querysets import ReviewEventQuerySet
from ..revisions import Revision
from ..validators import CHANGE_SUMMARY_MAX_LENGTH
from .content import Article


class ReviewEventAction(models.TextChoices):
    SUBMITTED = "submitted", "Submitted for review"
    ASSIGNED = "assigned", "Reviewer assigned"
    REVIEW_STARTED = "review_started", "Review started"
    TAKEN_OVER = "taken_over", "Review taken over"
    APPROVED = "approved", "Approved"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    COMMENTED = "commented", "Comment"
    WITHDRAWN = "withdrawn", "Withdrawn from review by an edit"
    UNPUBLISHED = "unpublished", "Unpublished"
    RESTORED = "restored", "Older revision restored"


class ReviewEvent(models.Model):
    """One step of an article's review, in order: who did what, on which revision, and why.
    An approval is the event the article points at (`Article.approval`): the reviewer's
    signature on exactly one revision. A submission carries the editor's summary for readers
    (`change_summary`), so each submission keeps its own. Append-only: shown, never changed
    or deleted."""

    Action = ReviewEventAction

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="review_events")
    revision = models.ForeignKey(
        Revision, on_delete=models.PROTECT, null=True, blank=True, related_name="review_events"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_events"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_assignments",
    )
    section_position = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For a comment on one section of the revision."
    )
    comment = models.TextField(blank=True)
    change_summary = models.CharField(
        "what changed, for readers",
        max_length=CHANGE_SUMMARY_MAX_LENGTH,
        blank=True,
        help_text="Submissions only: the editor's one line for readers' review history, shown "
        "with the approval of the submitted revision. Empty for a change that is not material.",
    )
    outside_specialty = models.BooleanField(
        default=False,
        help_text="An approval by a board member who had not declared the topic’s specialty, "
        "after confirming that they approve outside it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewEventQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "created_at", "pk"]
        indexes = [
            # The review log filtered by action, newest first, and its count (an index-only
            # scan: the log is append-only) without reading every event (bench/admin_pages.py).
            models.Index(
                fields=["action", "-created_at", "-id"], name="review_event_action_created"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=ReviewEventAction.values),
                name="review_event_action_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(
                    action__in=[
                        ReviewEventAction.CHANGES_REQUESTED,
                        ReviewEventAction.COMMENTED,
                        ReviewEventAction.UNPUBLISHED,
                    ]
                )
                | ~models.Q(comment=""),
                name="review_event_comment_required",
            ),
            models.CheckConstraint(
                condition=~models.Q(action=ReviewEventAction.ASSIGNED)
                | models.Q(assignee__isnull=False),
                name="review_event_assignment_has_assignee",
            ),
            models.CheckConstraint(
                condition=~models.Q(action=ReviewEventAction.TAKEN_OVER)
                | (models.Q(assignee__isnull=False) & ~models.Q(comment="")),
                name="review_event_takeover_has_assignee_and_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(action=ReviewEventAction.APPROVED)
                | models.Q(revision__isnull=False),
                name="review_event_approval_has_revision",
            ),
            models.CheckConstraint(
                condition=models.Q(action=ReviewEventAction.SUBMITTED)
                | models.Q(change_summary=""),
                name="review_event_summary_only_on_submit",
            ),
            models.CheckConstraint(
                condition=models.Q(action=ReviewEventAction.APPROVED)
                | models.Q(outside_specialty=False),
                name="review_event_outside_specialty_only_on_approval",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} by {self.actor} on {self.created_at:%Y-%m-%d}"


class ReviewReminderStage(models.TextChoices):
    DUE = "due", "Due soon"
    OVERDUE = "overdue", "Overdue"


class ReviewReminder(models.Model):
    """That `recipient` was reminded of `article`'s periodic review due on `due_date`, at one
    stage (coming due, then overdue): `manage.py send_review_reminders` writes one with each
    digest and never mails anyone twice about the same thing, however often cron runs it.
    A confirmation or approval moves the due date, which starts a fresh round. Bookkeeping
    for the reminders, not part of the review log."""

    Stage = ReviewReminderStage

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    due_date = models.DateField()
    stage = models.CharField(max_length=10, choices=Stage.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "recipient", "due_date", "stage"],
                name="review_reminder_once",
            ),
            models.CheckConstraint(
                condition=models.Q(stage__in=ReviewReminderStage.values),
                name="review_reminder_stage_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_stage_display()}: {self.article} ({self.due_date}) to {self.recipient}"
