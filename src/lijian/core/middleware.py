"""A readable page for a method the URL does not take (a bookmarked or refreshed action URL)."""

from django.shortcuts import render


class MethodNotAllowedPage:
    """Django answers a GET on a POST-only action with an empty 405; show why and where to go."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and not request.path.startswith("/api/"):
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response
