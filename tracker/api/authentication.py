"""Signing in to the API with a key: ``Authorization: Token <key>``."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from tracker.api.models import ApiToken, digest_of


class KeyAuthentication(authentication.TokenAuthentication):
    """REST framework's token header, checked against the keys' hashes (models.ApiToken):
    the table holds no key that could be read back and used."""

    model = ApiToken

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("user").filter(digest=digest_of(key)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(
                _("This API key is not valid: mistyped, revoked, or its user is inactive.")
            )
        token.mark_used()
        return token.user, token
