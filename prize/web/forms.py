"""Validating what people type with pydantic, and saying what is wrong in plain words."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from prize.i18n import gettext

Model = TypeVar("Model", bound=BaseModel)
FormErrors = dict[str, str]


_WHOLE_NUMBER = re.compile(r"[0-9]{1,18}")


def whole_number(text: object, *, low: int = 1, high: int = 2**63 - 1) -> int | None:
    """A whole number typed as ASCII digits within [low, high], else None.

    Not `int()`: it also takes "+1", " 1", "1_000" and other scripts' digits, and
    `str.isdigit()` says yes to "²", which `int()` then refuses.
    """
    if not isinstance(text, str) or not _WHOLE_NUMBER.fullmatch(text):
        return None
    number = int(text)
    return number if low <= number <= high else None


def friendly_message(error: dict[str, Any]) -> str:
    """One pydantic error as a sentence for the person filling the form."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing" or (kind == "string_too_short" and ctx.get("min_length") == 1):
        return gettext("Fill in this field.")
    if kind == "string_too_short":
        return gettext("At least {n} characters.").format(n=ctx.get("min_length"))
    if kind == "string_too_long":
        return gettext("At most {n} characters.").format(n=ctx.get("max_length"))
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return gettext("Enter a whole number.")
    if kind in ("float_parsing", "float_type"):
        return gettext("Enter a number.")
    if kind in ("greater_than_equal", "greater_than"):
        return gettext("Enter a number of at least {n}.").format(n=ctx.get("ge", ctx.get("gt")))
    if kind in ("less_than_equal", "less_than"):
        return gettext("Enter a number of at most {n}.").format(n=ctx.get("le", ctx.get("lt")))
    if kind in ("literal_error", "enum"):
        return gettext("Choose from the list.")
    if (
        kind == "value_error"
        and "email" in str(ctx.get("reason", "")).lower() + error["msg"].lower()
    ):
        return gettext("Enter an email address like name@example.org.")
    if kind == "value_error":
        message = str(ctx.get("error", error["msg"]))
        return message.removeprefix("Value error, ")
    if kind in ("date_parsing", "date_from_datetime_parsing", "datetime_parsing"):
        return gettext("Enter a date as YYYY-MM-DD.")
    return gettext("We could not read this answer. Please type it again.")


def validate(model: type[Model], values: dict[str, Any]) -> tuple[Model | None, FormErrors]:
    """The model, or None and a message per field (the form's own field names)."""
    try:
        return model.model_validate(values), {}
    except ValidationError as problem:
        errors: FormErrors = {}
        for error in problem.errors():
            field = str(error["loc"][0]) if error["loc"] else "__all__"
            errors.setdefault(field, friendly_message(error))
        return None, errors


def password_errors(errors: FormErrors) -> FormErrors:
    """`errors` with a password mismatch (reported by the model as a whole, `__all__`)
    moved beside the confirmation field, where the person will look for it."""
    if "__all__" in errors:
        errors["password_confirm"] = errors.pop("__all__")
    return errors


def without_passwords(values: dict[str, Any]) -> dict[str, Any]:
    """The values to show back in a form: a password is never written into a page."""
    return {key: value for key, value in values.items() if "password" not in key}


#: Above any version a row reaches (one per save), below SQLite's and PostgreSQL's limits.
MAX_VERSION = 2**31 - 1


def form_version(form: Mapping[str, Any]) -> int:
    """The version a form was opened at (optimistic locking); -1, never a match, if unreadable
    or out of any stored version's range (it goes into SQL: PostgreSQL's INTEGER stops at 2**31)."""
    try:
        version = int(str(form.get("version", "")))
    except ValueError:
        return -1
    return version if 0 <= version <= MAX_VERSION else -1
