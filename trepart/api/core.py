"""The API's frame: authentication by personal token, scopes, rate limits, errors, pagination.

Errors are always JSON `{"code", "message"}` with a stable code and a Norwegian message; the
API never answers with an HTML page or a server error page. A token acts as its person: every
endpoint calls the same `…_visible_to(user)` querysets and permission functions as the web
pages (ARCHITECTURE rules 2 and 3), so another municipality's objects are simply not found.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from trepart.api import selectors, services
from trepart.api.docs import LocalSwagger
from trepart.core import ratelimit

logger = logging.getLogger(__name__)

# Per token: requests a minute and an hour (settings.API_TOKEN_RATES overrides).
DEFAULT_RATES = [(120, 60), (3000, 3600)]
DEFAULT_LIMIT = 25
MAX_LIMIT = 100


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, fields=None, headers=None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.fields = fields
        self.headers = headers or {}


def not_found():
    return ApiError(404, "not_found", _("Not found, or you may not see it."))


def _rates():
    return [
        ratelimit.Rate(limit, seconds)
        for limit, seconds in getattr(settings, "API_TOKEN_RATES", DEFAULT_RATES)
    ]


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`. The request then acts as the token's person."""

    def authenticate(self, request, token):
        found = selectors.token_for_secret(token.strip())
        if found is None:
            return None
        person = found.person
        # Messages in the person's language (P8), else the municipality's, else bokmål.
        language = person.language or person.municipality.default_language or "nb"
        translation.activate(language)
        request.LANGUAGE_CODE = language
        if not ratelimit.hit(f"api-token:{found.pk}", *_rates()):
            raise ApiError(
                429,
                "rate_limited",
                _("Too many requests with this token. Wait a little and try again."),
                headers={"Retry-After": "60"},
            )
        services.token_used(found)
        request.user = person
        request.api_token = found
        return found


def require_scope(request, scope: str) -> None:
    if scope not in request.api_token.scope_list:
        raise ApiError(
            403,
            "missing_scope",
            _("The token may not do this. Make a token with the right permission on your page."),
        )


def error_response(status: int, code: str, message: str, fields=None, headers=None):
    body = {"code": code, "message": str(message)}
    if fields:
        body["fields"] = fields
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def _fields_of(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
    return None


def _code_of(exc: DjangoValidationError) -> str:
    codes = [getattr(e, "code", "") or "" for e in getattr(exc, "error_list", [])]
    # R14: a personnel or wage matter is refused with its own code.
    return "out_of_scope" if any(c.startswith("out_of_scope") for c in codes) else "invalid"


api = NinjaAPI(
    title="Trepart API",
    version="1",
    description="Read units, groups, meetings, published minutes, staff input, measures and "
    "unit reports as you may see them; send input and put items on the agenda. "
    "Authenticate with a personal token from your page: `Authorization: Bearer <token>`.",
    urls_namespace="api-v1",
    auth=TokenAuth(),
    docs=LocalSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    return error_response(exc.status, exc.code, exc.message, exc.fields, exc.headers)


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    return error_response(
        401,
        "unauthorized",
        _("A valid token is missing. It may be expired or revoked."),
        headers={"WWW-Authenticate": "Bearer"},
    )


def _limit(error, name):
    value = (error.get("ctx") or {}).get(name)
    return value if isinstance(value, int | float | str) else "?"


def validation_message(error: dict) -> str:
    """A Norwegian message for one of pydantic's errors (its own are English), by its type."""
    kind = error.get("type", "")
    if kind == "missing":
        return _("This field is required.")
    if kind in ("greater_than_equal", "greater_than"):
        message = (
            _("Must be at least %(limit)s.")
            if kind == "greater_than_equal"
            else _("Must be greater than %(limit)s.")
        )
        return message % {"limit": _limit(error, "ge" if kind == "greater_than_equal" else "gt")}
    if kind in ("less_than_equal", "less_than"):
        message = (
            _("Must be at most %(limit)s.")
            if kind == "less_than_equal"
            else _("Must be less than %(limit)s.")
        )
        return message % {"limit": _limit(error, "le" if kind == "less_than_equal" else "lt")}
    if kind in ("string_too_long", "too_long"):
        return _("At most %(limit)s characters or items.") % {"limit": _limit(error, "max_length")}
    if kind in ("string_too_short", "too_short"):
        if _limit(error, "min_length") == 1:
            return _("This field cannot be empty.")
        return _("At least %(limit)s characters or items.") % {"limit": _limit(error, "min_length")}
    if kind in ("literal_error", "enum"):
        return _("Not one of the allowed values: %(expected)s.") % {
            "expected": _limit(error, "expected")
        }
    if kind in ("int_parsing", "int_type", "int_from_float", "float_parsing", "float_type"):
        return _("Must be a whole number.")
    if kind in ("bool_parsing", "bool_type"):
        return _("Must be true or false.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Must be a date written as YYYY-MM-DD.")
    if kind in ("string_type", "string_unicode"):
        return _("Must be text.")
    if kind in ("list_type", "tuple_type", "set_type"):
        return _("Must be a list.")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("Must be an object.")
    if kind == "json_invalid":
        return _("The body is not valid JSON.")
    if kind == "extra_forbidden":
        return _("This field is not allowed here.")
    if kind == "value_error" and "control characters" in str(error.get("msg", "")):
        return _("The text contains characters that cannot be stored.")
    return _("Invalid value.")


@api.exception_handler(NinjaValidationError)
def _invalid_request(request, exc: NinjaValidationError):
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [str(p) for p in error.get("loc", ()) if p not in ("body", "payload")]
        fields.setdefault(".".join(location) or "request", []).append(validation_message(error))
    return error_response(400, "invalid", _("The request is not valid."), fields)


@api.exception_handler(DjangoValidationError)
def _invalid(request, exc: DjangoValidationError):
    return error_response(400, _code_of(exc), " ".join(exc.messages), _fields_of(exc))


@api.exception_handler(Http404)
def _not_found(request, exc):
    error = not_found()
    return error_response(error.status, error.code, error.message)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return error_response(403, "forbidden", _("You may not do this."))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    codes = {401: "unauthorized", 403: "forbidden", 404: "not_found", 429: "rate_limited"}
    return error_response(
        exc.status_code, codes.get(exc.status_code, "invalid"), _("The request is not valid.")
    )


@api.exception_handler(Exception)
def _server_error(request, exc):
    # Never an HTML page or a traceback: a JSON error, and the traceback in the log.
    logger.exception("API error", exc_info=exc)
    return error_response(500, "server_error", _("Something went wrong on our side."))


# --- answers for every operation ----------------------------------------------------------------


def responses(ok_status: int, ok_schema, *errors: int):
    from trepart.api.schemas import Error

    result = {ok_status: ok_schema}
    for status in (400, 401, 429, *errors):
        result[status] = Error
    return result


# --- cursor pagination ---------------------------------------------------------------------------

_SALT = "trepart.api.cursor"


def _encode(values) -> str:
    return signing.dumps(values, salt=_SALT, compress=True)


def _decode(cursor: str, size: int) -> list:
    try:
        values = signing.loads(cursor, salt=_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        values = None
    if not isinstance(values, list) or len(values) != size:
        raise ApiError(400, "invalid", _("The cursor is not valid. Start from the first page."))
    return values


def paginate(qs, cursor: str | None, limit: int | None, by: str | None = None):
    """(rows, next cursor). Keyset pagination on `id`, or on (`by`, `id`) for a datetime
    field: stable while rows are added, and an opaque, signed cursor."""
    limit = max(1, min(limit or DEFAULT_LIMIT, MAX_LIMIT))
    if cursor:
        if by:
            value, last_id = _decode(cursor, 2)
            try:
                when = datetime.datetime.fromisoformat(value)
                last_id = int(last_id)
            except (TypeError, ValueError) as exc:
                raise ApiError(400, "invalid", _("The cursor is not valid.")) from exc
            qs = qs.filter(Q(**{f"{by}__gt": when}) | Q(**{by: when, "pk__gt": last_id}))
        else:
            (last_id,) = _decode(cursor, 1)
            if not isinstance(last_id, int):
                raise ApiError(400, "invalid", _("The cursor is not valid."))
            qs = qs.filter(pk__gt=last_id)
    qs = qs.order_by(by, "pk") if by else qs.order_by("pk")
    rows = list(qs[: limit + 1])
    following = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        following = _encode([getattr(last, by).isoformat(), last.pk] if by else [last.pk])
    return rows, following
