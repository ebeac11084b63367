"""What a locked-out sign-in sees (django-axes): a page in the reader's language saying
for how long, instead of the library's one English sentence."""

from django.conf import settings
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "tracker/locked_out.html", {"cooloff_minutes": minutes}, status=429)
