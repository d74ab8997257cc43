"""The secretariat's criteria of an edition: add, change, remove, reorder, until judging.

An edition with a final round may give it criteria of its own (`?round=2`, the same
editor); without them the final round uses round 1's criteria and weights. The final
round's criteria are frozen once it has begun, as round 1's are once judging begins.
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from prize.domain.editions import Criterion, Edition
from prize.domain.rounds import round_label
from prize.domain.statuses import EditionStatus
from prize.i18n import gettext
from prize.store import audit, editions
from prize.web.forms import validate
from prize.web.params import edition_of, edition_path
from prize.web.rounds import requested_round, round_switcher
from prize.web.routing import form_values
from prize.web.templating import flash, render


def _criteria_frozen(edition: Edition, round_number: int = 1) -> str | None:
    if round_number == 2:
        if edition.current_round == 2 or edition.status in EditionStatus.RESULTS_OUT:
            return gettext(
                "The final round's criteria are frozen: the final round has begun, and jurors "
                "score against them.")
        return None
    if edition.status in EditionStatus.FROZEN:
        return gettext(
            "The criteria are frozen: judging has started, and jurors score against them. "
            "They can no longer be changed for this edition.")
    return None


def _round_of(request: Request, edition: Edition) -> int:
    """`?round=2` edits the final round's criteria; without it, round 1's."""
    return requested_round(request, edition) if "round" in request.query_params else 1


def _criteria_of(edition: Edition, round_number: int) -> tuple[Criterion, ...]:
    return edition.final_criteria if round_number == 2 else edition.criteria


def _list_path(edition: Edition, round_number: int) -> str:
    return edition_path(edition, "/criteria" + ("?round=2" if round_number == 2 else ""))


def _list_context(request: Request, edition: Edition, round_number: int, errors: dict
                  ) -> dict:
    return {
        "edition": edition, "frozen": _criteria_frozen(edition, round_number),
        "errors": errors, "criteria": _criteria_of(edition, round_number),
        "round_number": round_number,
        "round_query": "?round=2" if round_number == 2 else "",
        "round_title": round_label(round_number) if edition.rounds == 2 else "",
        "round_links": round_switcher(request, edition, round_number),
        # Round 2 without criteria of its own uses round 1's.
        "uses_round_1": round_number == 2 and not edition.final_criteria,
        "final_choices": [("same", gettext("the round 1 criteria")),
                          ("own", gettext("its own criteria"))],
    }


async def criteria_list(request: Request) -> Response:
    edition = await edition_of(request)
    round_number = _round_of(request, edition)
    return render(request, "admin/criteria.html",
                  _list_context(request, edition, round_number, {}))


async def final_criteria_choice(request: Request) -> Response:
    """The final round uses round 1's criteria, or its own (starting as a copy of them)."""
    edition = await edition_of(request)
    if edition.rounds != 2:
        return render(request, "admin/criteria.html", _list_context(request, edition, 1, {
            "form": gettext("This edition has no final round.")}), status_code=409)
    choice = str(request.state.form.get("final_criteria", ""))
    frozen = _criteria_frozen(edition, 2)
    errors = {}
    if choice not in ("same", "own"):
        errors["final_criteria"] = gettext("Choose one of the two.")
    elif frozen:
        errors["form"] = frozen
    if errors:
        return render(request, "admin/criteria.html",
                      _list_context(request, edition, 2, errors), status_code=409 if frozen
                      else 422)
    own = choice == "own"
    if own != bool(edition.final_criteria):
        await _save_criteria(request, edition, edition.criteria if own else (),
                             "criterion.final_round_own" if own
                             else "criterion.final_round_same",
                             {"round": 2}, round_number=2)
    flash(request, gettext("The final round uses its own criteria.") if own
          else gettext("The final round uses the round 1 criteria."))
    return RedirectResponse(_list_path(edition, 2), status_code=303)


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
    round_number = _round_of(request, edition)
    criteria = _criteria_of(edition, round_number)
    key = request.path_params.get("key")
    current = next((c for c in criteria if c.key == key), None)
    if key is not None and current is None:
        raise HTTPException(404)
    frozen = _criteria_frozen(edition, round_number)
    if round_number == 2 and not criteria and not frozen:
        frozen = gettext("The final round uses the round 1 criteria; choose “its own "
                         "criteria” on the criteria page first.")

    def again(values: dict, errors: dict, status: int) -> Response:
        return render(request, "admin/criterion_form.html", {
            "edition": edition, "criterion": current, "values": values, "errors": errors,
            "frozen": frozen, "round_title": round_label(round_number)
            if edition.rounds == 2 else ""}, status_code=status)

    if request.method == "GET":
        return again(_criterion_values(current), {}, 200)
    values = form_values(request.state.form)
    if current is not None:
        values["key"] = current.key  # a criterion's key is its identity in the scores
    if frozen:
        return again(values, {"form": frozen}, 409)
    criterion, errors = _parse_criterion(values)
    if criterion is not None and current is None and any(
            c.key == criterion.key for c in criteria):
        errors = {"key": gettext("This edition has a criterion with this key already.")}
    if criterion is None or errors:
        return again(values, errors, 422)
    if current is None:
        updated = (*criteria, criterion)
        action = "criterion.added"
    else:
        updated = tuple(criterion if c.key == current.key else c for c in criteria)
        action = "criterion.updated"
    await _save_criteria(request, edition, updated, action,
                         {"key": criterion.key, "round": round_number},
                         round_number=round_number)
    flash(request, gettext("The criterion “{title}” is saved.").format(title=criterion.title))
    return RedirectResponse(_list_path(edition, round_number), status_code=303)


async def criterion_change(request: Request) -> Response:
    """Remove a criterion or move it up or down."""
    edition = await edition_of(request)
    round_number = _round_of(request, edition)
    key = request.path_params["key"]
    keys = [c.key for c in _criteria_of(edition, round_number)]
    if key not in keys:
        raise HTTPException(404)
    frozen = _criteria_frozen(edition, round_number)
    if frozen:
        return render(request, "admin/criteria.html", _list_context(
            request, edition, round_number, {"form": frozen}), status_code=409)
    action = str(request.state.form.get("action", ""))
    criteria = list(_criteria_of(edition, round_number))
    index = keys.index(key)
    if action == "remove":
        if len(criteria) == 1:
            return render(request, "admin/criteria.html", _list_context(
                request, edition, round_number,
                {"form": gettext("An edition needs at least one criterion.")}),
                status_code=422)
        criteria.pop(index)
    elif action in ("up", "down"):
        other = index - 1 if action == "up" else index + 1
        if 0 <= other < len(criteria):
            criteria[index], criteria[other] = criteria[other], criteria[index]
    else:
        raise HTTPException(400, gettext("Choose remove, up or down."))
    done = "criterion.removed" if action == "remove" else "criterion.moved"
    await _save_criteria(request, edition, tuple(criteria), done,
                         {"key": key, "action": action, "round": round_number},
                         round_number=round_number)
    return RedirectResponse(_list_path(edition, round_number), status_code=303)


async def _save_criteria(request: Request, edition: Edition, criteria: tuple[Criterion, ...],
                         action: str, details: dict, round_number: int = 1) -> None:
    app = request.app.state
    now = app.clock()
    async with app.db.transaction() as conn:
        # Checked again inside the transaction: judging may have started meanwhile.
        if round_number == 1 and await editions.status_of(conn, edition.id) in EditionStatus.FROZEN:
            frozen = edition.model_copy(update={"status": EditionStatus.JUDGING})
            raise HTTPException(409, _criteria_frozen(frozen))
        if round_number == 2 and await editions.current_round_of(conn, edition.id) != 1:
            raise HTTPException(409, _criteria_frozen(
                edition.model_copy(update={"current_round": 2}), 2))
        await editions.replace_criteria(conn, edition.id, criteria, round_number)
        await audit.record(conn, now=now, actor_id=request.state.user.id, action=action,
                           subject_type="edition", subject_id=edition.id, edition_id=edition.id,
                           details=details)
