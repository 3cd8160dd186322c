from django.views.generic import DetailView, ListView

from .models import ReviewerProfile


class BoardView(ListView):
    """The Medical Advisory Board: every reviewer with a public profile."""

    template_name = "reviews/board.html"
    context_object_name = "profiles"
    queryset = ReviewerProfile.objects.filter(user__is_active=True)


class ProfileView(DetailView):
    template_name = "reviews/profile.html"
    context_object_name = "profile"
    queryset = ReviewerProfile.objects.select_related("user")
