"""Our copies of the admin theme's templates, each with one change (its first line says
which), are copies of the theme's current templates: an upgrade that changes one fails
here, so the copy does not quietly keep the old theme's markup."""

import hashlib
from pathlib import Path

import pytest
import unfold
from django.conf import settings
from django.template.loader import get_template

THEMES_TEMPLATES = Path(unfold.__file__).parent / "templates"
OURS = Path(settings.BASE_DIR) / "tracker" / "templates"

# Our template (the theme's of the same name): the SHA-256 of the theme's when we copied it.
COPIED = {
    "admin/index.html": "dd345254af4ffc9aa1ed138264233f8d8c8706e13e0593b29c3af123207a2884",
    "admin/submit_line.html": "b973d6e6ba0f875dce9f2daa2d92ccff2dcd3a7355d285b15bc284b93d855bdf",
    "unfold/helpers/add_link.html": (
        "b10877ba3500e4eb683cb8d7796c9672b9c623f7e2f340a88175f0a85a2ee08e"
    ),
    "unfold/helpers/empty_results.html": (
        "830db82d60f52b85f55ec9c54658e438370fc3067887e4defd80b628d4e68112"
    ),
    "unfold/helpers/history.html": (
        "381dfb9fd760beb8f2be0699a1599156c10d95eb40440d68edcb8e182c426c92"
    ),
}


@pytest.mark.parametrize("name", COPIED)
def test_the_theme_still_ships_the_template_we_copied(name):
    digest = hashlib.sha256((THEMES_TEMPLATES / name).read_bytes()).hexdigest()
    assert digest == COPIED[name], (
        f"unfold's {name} changed: copy it again into tracker/templates/{name}, make our "
        "change again (the copy's first line says what it is), and record the new digest"
    )


@pytest.mark.parametrize("name", COPIED)
def test_our_copy_is_the_one_the_admin_renders(name):
    assert Path(get_template(name).origin.name) == OURS / name
