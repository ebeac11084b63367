"""The API only reads: whoever asks, whatever they may change in the admin."""

from rest_framework import exceptions, permissions


class ReadOnly(permissions.BasePermission):
    """GET, HEAD and OPTIONS. Anything else is refused as the method it is (405), not as
    a matter of signing in: no key lets anyone write here."""

    def has_permission(self, request, view):
        if request.method not in permissions.SAFE_METHODS:
            raise exceptions.MethodNotAllowed(request.method)
        return True
