"""The project's own small rows (the apps keep theirs)."""

from django.db import models
from django.utils import timezone

from tracker.api.models import ApiToken  # the API's keys are this app's rows
from tracker.signin_records import FailedSignIn, SignIn, SignInAttempt

__all__ = ["ApiToken", "FailedSignIn", "SignIn", "SignInAttempt", "WorkerHeartbeat"]

HEARTBEAT_ID = 1  # the one row


class WorkerHeartbeat(models.Model):
    """When a worker last ran the beat's sweep: one row, moved forward every sweep.

    The sweep is sent by the beat through the broker and run by a worker, so a fresh row
    says all three were working a moment ago; the health page (tracker.health) reads it.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=HEARTBEAT_ID)
    beat_at = models.DateTimeField()

    def __str__(self):
        return f"worker alive at {self.beat_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def beat(cls) -> None:
        """Record "a worker is alive now" in one statement (INSERT … ON CONFLICT UPDATE):
        no read first, no race between two workers sweeping at once."""
        cls.objects.bulk_create(
            [cls(id=HEARTBEAT_ID, beat_at=timezone.now())],
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=["beat_at"],
        )

    @classmethod
    def last(cls):
        """When a worker last beat, or None if none ever did."""
        return cls.objects.filter(id=HEARTBEAT_ID).values_list("beat_at", flat=True).first()
