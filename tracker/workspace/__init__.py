"""The admin's first page: each person's work, by role, before the list of models.

Unfold calls ``dashboard`` for the admin index (settings: UNFOLD's DASHBOARD_CALLBACK);
``tracker/templates/admin/index.html`` shows what it adds. Every number is a link to the
list behind it, counted by the same filters that list applies (``counts``), so the
number on the first page is the number of rows its link shows.
"""

from tracker.workspace.roles import workspace_for


def dashboard(request, context):
    context["workspace"] = workspace_for(request.user)
    return context
