"""The small helpers of prize.web.routing: where a login may send a person back to, and
the plain values of a form."""

from __future__ import annotations

import pytest
from starlette.datastructures import FormData

from prize.web.routing import form_values, safe_next


@pytest.mark.parametrize("target", [None, "", "https://evil.example/", "//evil.example/",
                                    "/\\evil.example", "my"])
def test_only_our_own_paths_are_followed_after_login(target):
    assert safe_next(target) == "/"
    assert safe_next(target, default="/jury") == "/jury"


def test_an_own_path_with_its_query_is_followed():
    assert safe_next("/admin/users?page=2") == "/admin/users?page=2"


def test_form_values_leave_out_the_csrf_token_and_files():
    form = FormData([("csrf_token", "t"), ("title", "Peer Talk"), ("tags", "a"), ("tags", "b")])
    assert form_values(form, multi={"tags"}) == {"title": "Peer Talk", "tags": ["a", "b"]}
