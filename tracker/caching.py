"""Pages and files with data are nobody's to keep: not a proxy's, not the browser's.

Reports, downloads and exports name an akimat's services and officials; the admin shows
everything a user may see. Each such response says ``Cache-Control: private, no-store``,
so a shared proxy never serves one user's page to another and a public computer keeps no
copy after signing out. Static files (served before this by WhiteNoise) keep their long
caching.
"""

from django.utils.cache import patch_cache_control


class PrivateDataMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, private=True, no_store=True)
        return response
