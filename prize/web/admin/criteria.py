"""The secretariat's criteria of an edition: add, change, remove, reorder, until judging."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from prize.domain.editions import Criterion, Edition
from prize.domain.statuses import EditionStatus
from prize.i18n import gettext
from prize.store import audit, editions
from prize.web.forms import validate
from prize.web.params import edition_of, edition_path
from prize.web.routing import form_values
from prize.web.templating import flash, render


def _criteria_frozen(edition: Edition) -> str | None:
    if edition.status in EditionStatus.FROZEN:
        return gettext(
            "The criteria are frozen: judging has started, and jurors score against them. "
            "They can no longer be changed for this edition.")
    return None


async def criteria_list(request: Request) -> Response:
    edition = await edition_of(request)
    return render(request, "admin/criteria.html", {
        "edition": edition, "frozen": _criteria_frozen(edition), "errors": {}})


def _criterion_values(criterion: Criterion | None) -> dict[str, str]:
    if criterion is None:
        return {"scale_min": "0", "scale_max": "5", "weight": "1"}
    return {
        "key": criterion.key, "title": criterion.title, "title_fr": criterion.title_fr,
        "guidance": criterion.guidance, "guidance_fr": criterion.guidance_fr,
        "weight": f"{criterion.weight:g}", "scale_min": str(criterion.scale_min),
        "scale_max": str(criterion.scale_max), "rubric": "\n".join(criterion.rubric),
        "rubric_fr": "\n".join(criterion.rubric_fr),
    }


def _parse_criterion(values: dict[str, Any]) -> tuple[Criterion | None, dict[str, str]]:
    errors = {}
    for name in ("rubric", "rubric_fr"):
        if len(str(values.get(name, ""))) > 5000:
            errors[name] = gettext("At most {n} characters.").format(n=5000)
    data = {name: str(values.get(name, "")).strip() for name in (
        "key", "title", "title_fr", "guidance", "guidance_fr", "weight", "scale_min", "scale_max")}
    for name in ("rubric", "rubric_fr"):
        data[name] = tuple(line.strip() for line in str(values.get(name, "")).splitlines()
                           if line.strip())
    criterion, problems = validate(Criterion, data)
    if "__all__" in problems:
        message = problems.pop("__all__")
        problems["scale_max" if "top of the scale" in message else "rubric"] = message
    if "key" in problems:
        problems["key"] = gettext(
            "Use lower-case letters, digits and _, starting with a letter (40 at most).")
    errors = {**problems, **errors}
    return (criterion if not errors else None), errors


async def criterion_form(request: Request) -> Response:
    edition = await edition_of(request)
    key = request.path_params.get("key")
    current = next((c for c in edition.criteria if c.key == key), None)
    if key is not None and current is None:
        raise HTTPException(404)
    frozen = _criteria_frozen(edition)

    def again(values: dict, errors: dict, status: int) -> Response:
        return render(request, "admin/criterion_form.html", {
            "edition": edition, "criterion": current, "values": values, "errors": errors,
            "frozen": frozen}, status_code=status)

    if request.method == "GET":
        return again(_criterion_values(current), {}, 200)
    values = form_values(request.state.form)
    if current is not None:
        values["key"] = current.key  # a criterion's key is its identity in the scores
    if frozen:
        return again(values, {"form": frozen}, 409)
    criterion, errors = _parse_criterion(values)
    if criterion is not None and current is None and any(
            c.key == criterion.key for c in edition.criteria):
        errors = {"key": gettext("This edition has a criterion with this key already.")}
    if criterion is None or errors:
        return again(values, errors, 422)
    if current is None:
        updated = (*edition.criteria, criterion)
        action = "criterion.added"
    else:
        updated = tuple(criterion if c.key == current.key else c for c in edition.criteria)
        action = "criterion.updated"
    await _save_criteria(request, edition, updated, action, {"key": criterion.key})
    flash(request, gettext("The criterion “{title}” is saved.").format(title=criterion.title))
    return RedirectResponse(edition_path(edition, "/criteria"), status_code=303)


async def criterion_change(request: Request) -> Response:
    """Remove a criterion or move it up or down."""
    edition = await edition_of(request)
    key = request.path_params["key"]
    keys = [c.key for c in edition.criteria]
    if key not in keys:
        raise HTTPException(404)
    frozen = _criteria_frozen(edition)
    if frozen:
        return render(request, "admin/criteria.html", {"edition": edition, "frozen": frozen,
                                                       "errors": {"form": frozen}},
                      status_code=409)
    action = str(request.state.form.get("action", ""))
    criteria = list(edition.criteria)
    index = keys.index(key)
    if action == "remove":
        if len(criteria) == 1:
            return render(request, "admin/criteria.html", {
                "edition": edition, "frozen": None,
                "errors": {"form": gettext("An edition needs at least one criterion.")}},
                status_code=422)
        criteria.pop(index)
    elif action in ("up", "down"):
        other = index - 1 if action == "up" else index + 1
        if 0 <= other < len(criteria):
            criteria[index], criteria[other] = criteria[other], criteria[index]
    else:
        raise HTTPException(400, gettext("Choose remove, up or down."))
    done = "criterion.removed" if action == "remove" else "criterion.moved"
    await _save_criteria(request, edition, tuple(criteria), done, {"key": key, "action": action})
    return RedirectResponse(edition_path(edition, "/criteria"), status_code=303)


async def _save_criteria(request: Request, edition: Edition, criteria: tuple[Criterion, ...],
                         action: str, details: dict) -> None:
    app = request.app.state
    now = app.clock()
    async with app.db.transaction() as conn:
        # Checked again inside the transaction: judging may have started meanwhile.
        if await editions.status_of(conn, edition.id) in EditionStatus.FROZEN:
            frozen = edition.model_copy(update={"status": EditionStatus.JUDGING})
            raise HTTPException(409, _criteria_frozen(frozen))
        await editions.replace_criteria(conn, edition.id, criteria)
        await audit.record(conn, now=now, actor_id=request.state.user.id, action=action,
                           subject_type="edition", subject_id=edition.id, edition_id=edition.id,
                           details=details)
