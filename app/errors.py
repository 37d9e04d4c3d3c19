"""Business and configuration errors: each carries its HTTP status and a message for people."""


class ConfigError(Exception):
    """Set-up is wrong (settings, database, port, files). The message says how to fix it."""


class AppError(Exception):
    """A request that cannot be done; rendered as problem JSON in the API, a page in the UI."""

    status_code = 400
    title = "Bad request"

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field

    def field_errors(self) -> list[tuple[str, str]]:
        """Returns (field, what is wrong) for each bad field the error is about."""
        return [(self.field, self.detail)] if self.field else []


class NotAuthenticated(AppError):
    status_code = 401
    title = "Not authenticated"


class Forbidden(AppError):
    status_code = 403
    title = "Forbidden"


class NotFound(AppError):
    status_code = 404
    title = "Not found"


class Conflict(AppError):
    status_code = 409
    title = "Conflict"


class Gone(AppError):
    status_code = 410
    title = "Gone"


class TooManyRequests(AppError):
    status_code = 429
    title = "Too many requests"


class InvalidInput(AppError):
    """The request is well-formed but a value in it is not acceptable; names the field."""

    status_code = 422
    title = "Invalid input"
