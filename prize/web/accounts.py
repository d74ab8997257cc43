"""Sign-up with email verification, log in and out, password reset, language choice."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, EmailStr, Field, field_validator, model_validator
from starlette.background import BackgroundTask
from starlette.datastructures import State
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from prize import i18n
from prize.domain.notices import Document
from prize.domain.statuses import Role
from prize.i18n import gettext
from prize.store import consent, outbox, users
from prize.web import auth, notices
from prize.web.forms import password_errors, validate, without_passwords
from prize.web.routing import form_values, page, safe_next
from prize.web.security import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from prize.web.templating import flash, render

VERIFY_VALID_FOR = timedelta(hours=48)
RESET_VALID_FOR = timedelta(hours=1)
RESEND_PAUSE = timedelta(minutes=5)
# "Someone tried to create an account with your address" goes at most once in this time.
SIGNUP_NOTICE_PAUSE = timedelta(days=1)
# Advisors share the jury's area with the jurors (they read and discuss; they never score).
HOME_BY_ROLE = {Role.ADMIN: "/admin", Role.JUROR: "/jury", Role.ADVISOR: "/jury",
                Role.TRANSLATOR: "/translations", Role.APPLICANT: "/my"}


class NewPassword(BaseModel):
    password: str = Field(max_length=MAX_PASSWORD_LENGTH)
    password_confirm: str = ""

    @field_validator("password")
    @classmethod
    def _long_enough(cls, value: str) -> str:
        if len(value) < MIN_PASSWORD_LENGTH:
            raise ValueError(gettext("Use at least {n} characters.").format(n=MIN_PASSWORD_LENGTH))
        return value

    @model_validator(mode="after")
    def _confirmed(self) -> NewPassword:
        if self.password != self.password_confirm:
            raise ValueError(gettext("The two passwords are not the same."))
        return self


class SignupForm(NewPassword):
    name: str = Field(min_length=1, max_length=120)
    email: EmailStr = Field(max_length=254)
    #: The privacy notice read and accepted (a ticked box sends "on").
    privacy: bool = Field(default=False, validate_default=True)

    @field_validator("name")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("privacy", mode="before")
    @classmethod
    def _accepted(cls, value: object) -> bool:
        if value != "on":
            raise ValueError(gettext("Tick the box to accept the privacy notice."))
        return True


def home_for(user: users.User | None) -> str:
    return HOME_BY_ROLE.get(user.role, "/") if user else "/"


async def signup(request: Request) -> Response:
    if request.method == "GET":
        return render(request, "accounts/signup.html", {"values": {}, "errors": {}})
    values = form_values(request.state.form)
    values["name"] = values.get("name", "").strip()
    values["email"] = values.get("email", "").strip()
    form, errors = validate(SignupForm, values)
    if form is None:
        return render(
            request,
            "accounts/signup.html",
            {"values": without_passwords(values), "errors": password_errors(errors)},
            status_code=422,
        )
    if await auth.begin_signup(request, form.email) is None:
        return render(
            request,
            "accounts/signup.html",
            {
                "values": without_passwords(values),
                "errors": {"form": gettext(
                    "Too many sign-ups from your network or for this email address."
                    " Wait 15 minutes, then try again."
                )},
            },
            status_code=429,
        )
    app = request.app.state
    now = app.clock()
    # Hashed whether or not the address has an account, so that both answers cost the
    # same time and reveal nothing; for a known address the hash is thrown away.
    password_hash = await app.passwords.hash_in_thread(form.password)
    async with app.db.transaction() as conn:
        existing_id = await users.id_of_email(conn, form.email)
        if existing_id is None:
            user_id = await users.create(
                conn,
                email=form.email,
                name=form.name,
                role=Role.APPLICANT,
                password_hash=password_hash,
                now=now,
                locale=i18n.current_locale(),
            )
            await consent.record(conn, user_id=user_id, document=Document.PRIVACY,
                                 language=i18n.current_locale(), occasion="signup", now=now)
            token = await users.issue_token(
                conn, user_id=user_id, purpose="verify_email", now=now, valid_for=VERIFY_VALID_FOR
            )
            email = app.mailer.compose(
                "verify_email",
                form.email,
                {"name": form.name, "link": app.settings.url(f"/verify?token={token}")},
                locale=i18n.current_locale(),
                related_user_id=user_id,
            )
        elif await outbox.count_since(
            conn, kind="signup_existing", related_user_id=existing_id,
            since=now - SIGNUP_NOTICE_PAUSE,
        ):
            email = None  # the owner was told today already: once is enough
        else:
            # The same answer as for a new address, so sign-up reveals no accounts;
            # the owner of the address learns what happened.
            existing = await users.get(app.db, existing_id)
            email = app.mailer.compose(
                "signup_existing",
                existing.email,
                {"name": existing.display_name},
                locale=existing.locale,
                related_user_id=existing.id,
            )
        if email is not None:
            await app.mailer.enqueue(conn, email)
    await app.mailer.flush()
    return RedirectResponse("/signup/done", status_code=303)


async def signup_done(request: Request) -> Response:
    return render(request, "accounts/signup_done.html")


async def verify(request: Request) -> Response:
    app = request.app.state
    if request.method == "GET":
        token = request.query_params.get("token", "")
        valid = (
            bool(token)
            and len(token) < 200
            and await users.peek_token(app.db, token, "verify_email", app.clock())
        )
        return render(
            request,
            "accounts/verify.html",
            {"token": token, "valid": bool(valid)},
            status_code=200 if valid else 400,
        )
    token = str(request.state.form.get("token", ""))[:200]
    async with app.db.transaction() as conn:
        user_id = await users.use_token(conn, token, "verify_email", app.clock())
        if user_id is not None:
            await users.mark_verified(conn, user_id, app.clock())
    if user_id is None:
        return render(
            request, "accounts/verify.html", {"token": "", "valid": False}, status_code=400
        )
    user = await users.get(app.db, user_id)
    flash(request, gettext("Your email address is confirmed. Welcome!"))
    return await notices.sign_in(request, user, home_for(user))


async def login(request: Request) -> Response:
    next_url = safe_next(request.query_params.get("next"), "")
    if request.method == "GET":
        if request.state.user is not None:
            return RedirectResponse(next_url or home_for(request.state.user), status_code=303)
        return render(request, "accounts/login.html", {"values": {"next": next_url}, "errors": {}})
    form = request.state.form
    email = str(form.get("email", "")).strip()[:254]
    password = str(form.get("password", ""))[:MAX_PASSWORD_LENGTH]
    next_url = safe_next(str(form.get("next", "")), "")
    values = {"email": email, "next": next_url}

    def refuse(message: str, status: int) -> Response:
        return render(
            request,
            "accounts/login.html",
            {"values": values, "errors": {"form": message}},
            status_code=status,
        )

    if not email or not password:
        return refuse(gettext("Enter your email and your password."), 422)
    attempt = await auth.begin_login(request, email)
    if attempt is None:
        return refuse(
            gettext("Too many failed attempts. Wait 15 minutes, or reset your password."), 429
        )
    app = request.app.state
    user = await users.by_email(app.db, email)
    # Without an account, a stand-in hash is checked: both answers cost the same time.
    right = await app.passwords.verify_in_thread(user.password_hash if user else None, password)
    if user is None or not right or not user.is_active:
        return refuse(gettext("The email or the password is not right."), 422)
    await auth.login_succeeded(request, attempt)
    if not user.is_verified:
        if await _resend_verification(request, user):
            return refuse(
                gettext("Confirm your email address first: we have sent you a new link."), 422
            )
        # Within the resend pause nothing is sent: saying so would send them looking.
        return refuse(gettext(
            "Confirm your email address first: follow the link in the email we sent you"
            " a few minutes ago."), 422)
    await users.record_sign_in(app.db, user.id, app.clock())
    # Opens the session, unless the privacy notice in force is still to be accepted.
    return await notices.sign_in(request, user, next_url or home_for(user))


async def _resend_verification(request: Request, user: users.User) -> bool:
    """Send a new verification link unless one went out within the pause; True if sent."""
    app = request.app.state
    now = app.clock()
    if await outbox.sent_since(
        app.db, kind="verify_email", related_user_id=user.id, since=now - RESEND_PAUSE
    ):
        return False
    async with app.db.transaction() as conn:
        token = await users.issue_token(
            conn, user_id=user.id, purpose="verify_email", now=now, valid_for=VERIFY_VALID_FOR
        )
        await app.mailer.enqueue(
            conn,
            app.mailer.compose(
                "verify_email",
                user.email,
                {"name": user.display_name, "link": app.settings.url(f"/verify?token={token}")},
                locale=user.locale,
                related_user_id=user.id,
            ),
        )
    await app.mailer.flush()
    return True


async def logout(request: Request) -> Response:
    if request.state.user is not None:
        async with request.app.state.db.transaction() as conn:
            await users.end_sessions(conn, request.state.user.id)
    auth.log_out(request)
    flash(request, gettext("You are logged out."))
    return RedirectResponse("/", status_code=303)


async def forgot_password(request: Request) -> Response:
    if request.method == "GET":
        return render(request, "accounts/forgot.html", {"values": {}, "errors": {}, "sent": False})
    email = str(request.state.form.get("email", "")).strip()[:254]
    if "@" not in email:
        return render(
            request,
            "accounts/forgot.html",
            {
                "values": {"email": email},
                "sent": False,
                "errors": {"email": gettext("Enter an email address like name@example.org.")},
            },
            status_code=422,
        )
    response = render(request, "accounts/forgot.html", {"values": {}, "errors": {}, "sent": True})
    # Whether or not the account exists, the page says the same, and says it before the
    # account is looked up: the link is sent after the answer, so that an address with an
    # account answers no slower than one without.
    response.background = BackgroundTask(_send_reset_link, request.app.state, email)
    return response


async def _send_reset_link(app: State, email: str) -> None:
    now = app.clock()
    user = await users.by_email(app.db, email)
    recent = user and await outbox.sent_since(
        app.db, kind="reset_password", related_user_id=user.id, since=now - timedelta(minutes=1)
    )
    if user is None or not user.is_active or recent:
        return
    async with app.db.transaction() as conn:
        token = await users.issue_token(
            conn, user_id=user.id, purpose="reset_password", now=now, valid_for=RESET_VALID_FOR
        )
        await app.mailer.enqueue(
            conn,
            app.mailer.compose(
                "reset_password",
                user.email,
                {"name": user.display_name,
                 "link": app.settings.url(f"/password/reset?token={token}")},
                locale=user.locale,
                related_user_id=user.id,
            ),
        )
    await app.mailer.flush()


async def reset_password(request: Request) -> Response:
    app = request.app.state
    if request.method == "GET":
        token = request.query_params.get("token", "")[:200]
        valid = bool(token) and await users.peek_token(app.db, token, "reset_password", app.clock())
        return render(
            request,
            "accounts/reset.html",
            {"token": token, "valid": bool(valid), "errors": {}},
            status_code=200 if valid else 400,
        )
    values = form_values(request.state.form)
    token = str(values.get("token", ""))[:200]
    form, errors = validate(NewPassword, values)
    if form is None:
        return render(
            request,
            "accounts/reset.html",
            {"token": token, "valid": True, "errors": password_errors(errors)},
            status_code=422,
        )
    # Looked at before hashing, so that made-up tokens cost no hash; used (once) below.
    user_id = await users.peek_token(app.db, token, "reset_password", app.clock())
    if user_id is not None:
        password_hash = await app.passwords.hash_in_thread(form.password)
        async with app.db.transaction() as conn:
            user_id = await users.use_token(conn, token, "reset_password", app.clock())
            if user_id is not None:
                await users.set_password(conn, user_id, password_hash)
                # Following the emailed link proves the address too.
                await users.mark_verified(conn, user_id, app.clock())
    if user_id is None:
        return render(
            request,
            "accounts/reset.html",
            {"token": "", "valid": False, "errors": {}},
            status_code=400,
        )
    user = await users.get(app.db, user_id)
    flash(request, gettext("Your new password is set."))
    return await notices.sign_in(request, user, home_for(user))


async def choose_language(request: Request) -> Response:
    """A plain link, so the switch works on every page without a form or a session before it.

    The worst a forged link can do is switch someone's language, which they can switch back.
    """
    locale = request.query_params.get("locale", "")
    if locale not in i18n.LOCALES:
        locale = i18n.DEFAULT_LOCALE
    request.session["locale"] = locale
    if request.state.user is not None:
        await users.set_locale(request.app.state.db, request.state.user.id, locale)
    return RedirectResponse(safe_next(request.query_params.get("next"), "/"), status_code=303)


routes = [
    page("/signup", signup, methods=["GET", "POST"]),
    page("/signup/done", signup_done),
    page("/verify", verify, methods=["GET", "POST"]),
    page("/login", login, methods=["GET", "POST"]),
    page("/logout", logout, methods=["POST"]),
    page("/password/forgot", forgot_password, methods=["GET", "POST"]),
    page("/password/reset", reset_password, methods=["GET", "POST"]),
    page("/language", choose_language),
]
