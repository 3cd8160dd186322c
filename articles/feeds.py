"""The Atom feed of newly approved articles (django.contrib.syndication): the latest
approvals, one entry per article, read from the catalogue (`Listing`) in one query."""

from django.contrib.syndication.views import Feed
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from .models import Listing


class ApprovedArticlesFeed(Feed):
    feed_type = Atom1Feed
    title = "Vetted: newly approved articles"
    subtitle = (
        "Answers to clinical questions, each approved by a clinician on our Medical Advisory "
        "Board. An article approved again after a change appears again."
    )
    LENGTH = 20

    def link(self):
        return reverse("articles:list")

    def get_object(self, request):
        # Entries link to reviewers' profiles with absolute addresses, built from the request.
        return request

    def items(self, request):
        items = list(
            Listing.objects.approved().for_cards().order_by("-reviewed_at", "-pk")[: self.LENGTH]
        )
        for item in items:
            item.url = request.build_absolute_uri(self.item_link(item))
            profile = _profile(item)
            item.profile_url = (
                request.build_absolute_uri(profile.get_absolute_url()) if profile else None
            )
        return items

    def item_title(self, item: Listing) -> str:
        return item.headline

    def item_description(self, item: Listing) -> str:
        # Atom's <summary type="html">: the plain-text bottom line, escaped to be HTML.
        return escape(item.bottom_line)

    def item_link(self, item: Listing) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Listing) -> str:
        # Atom's <id>: the article's absolute address, the same entry each time it is approved.
        return item.url

    def item_updateddate(self, item: Listing):
        return item.reviewed_at

    def item_author_name(self, item: Listing) -> str | None:
        profile = _profile(item)
        if profile is not None:
            return str(profile)
        if item.reviewer is None:
            return None
        return item.reviewer.get_full_name() or item.reviewer.get_username()

    def item_author_link(self, item: Listing) -> str | None:
        return item.profile_url

    def item_categories(self, item: Listing) -> list[str]:
        return [item.topic.name]


def _profile(item: Listing):
    if item.reviewer is None:
        return None
    try:
        return item.reviewer.reviewer_profile
    except ObjectDoesNotExist:
        return None
