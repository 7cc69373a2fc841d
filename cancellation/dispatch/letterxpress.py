"""HTTP client of the LetterXpress API v3 (https://api.letterxpress.de/v3), see docs/DISPATCH.md.

What we rely on (verified from public clients, cited in docs/DISPATCH.md): every request carries
`auth: {username, apikey, mode}` in its JSON body with the content type exactly
`application/json`; `POST /printjobs` takes the PDF base64-encoded with the MD5 of that base64
text as `base64_file_checksum`, a `specification` (color "1" black and white, mode "simplex",
shipping "national"), `registered: "r1"` for Einwurf-Einschreiben and a `notice` (our reference);
`GET /printjobs/{id}` answers `data.status` (queue, hold, done, canceled, draft) and `data.items[]`
with `status` and, once posted, `tracking_code`. The recipient is read from the PDF's window.

Nothing personal is logged: not the PDF, not the answer bodies.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

import requests

from cancellation.dispatch.jobs import RemoteJob

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.letterxpress.de/v3"
# (connect, read) seconds: a PDF of a few pages uploads in well under this.
TIMEOUT = (5.0, 30.0)
REGISTERED_DROP_OFF = "r1"  # Einwurf-Einschreiben
SPECIFICATION = {"color": "1", "mode": "simplex", "shipping": "national"}
LIST_FILTERS = ("queue", "hold", "done", "draft", "canceled")
MAX_LIST_PAGES = 5


class ServiceError(Exception):
    """The service did not do what was asked. `code` is a short identifier (chained, logged)."""

    code = "service_error"


class ServiceUnavailable(ServiceError):
    """Try again later. `uncertain`: the request may have reached the service (timeout after
    sending, 5xx): a submission must be looked up before it is repeated."""

    def __init__(self, code: str, *, uncertain: bool = False) -> None:
        super().__init__(code)
        self.code = code
        self.uncertain = uncertain


class Rejected(ServiceError):
    """The service refused the request (e.g. the PDF): repeating it will not help."""

    def __init__(self, code: str, status: int) -> None:
        super().__init__(f"{code} (HTTP {status})")
        self.code = code
        self.status = status


@dataclass(frozen=True)
class Credentials:
    username: str
    api_key: str = field(repr=False)
    mode: str = "test"


def checksum(base64_text: str) -> str:
    """LetterXpress' `base64_file_checksum`: MD5 of the base64 text (not of the PDF bytes)."""
    return hashlib.md5(base64_text.encode("ascii")).hexdigest()  # noqa: S324 - their protocol


class LetterXpressClient:
    def __init__(self, credentials: Credentials, *, base_url: str = DEFAULT_BASE_URL,
                 timeout: tuple[float, float] = TIMEOUT,
                 session: Optional[requests.Session] = None) -> None:
        self._credentials = credentials
        self._base_url = base_url.rstrip("/")
        self._timeout = timeout
        self._session = session or requests.Session()

    @property
    def mode(self) -> str:
        return self._credentials.mode

    def submit(self, pdf: bytes, *, notice: str, filename: str) -> RemoteJob:
        """Create the print job: printed and posted as Einwurf-Einschreiben (live mode)."""
        encoded = base64.b64encode(pdf).decode("ascii")
        letter = {
            "base64_file": encoded,
            "base64_file_checksum": checksum(encoded),
            "specification": dict(SPECIFICATION),
            "registered": REGISTERED_DROP_OFF,
            "filename_original": filename,
            "notice": notice[:255],
        }
        data = self._call("POST", "/printjobs", {"letter": letter}, creates=True)
        return RemoteJob.from_data(data)

    def get(self, job_id: int) -> RemoteJob:
        return RemoteJob.from_data(self._call("GET", f"/printjobs/{int(job_id)}", {}))

    def find_by_notice(self, notice: str) -> Optional[RemoteJob]:
        """The print job we created with this notice, if the service has one (after a submission
        whose answer was lost)."""
        for name in LIST_FILTERS:
            for page in range(1, MAX_LIST_PAGES + 1):
                data = self._call("GET", f"/printjobs?filter={name}&page={page}", {})
                jobs = data.get("printjobs") or []
                for job in jobs:
                    if isinstance(job, Mapping) and job.get("notice") == notice:
                        return RemoteJob.from_data(job)
                pagination = data.get("pagination") or {}
                if not jobs or int(pagination.get("last_page") or 1) <= page:
                    break
        return None

    def balance(self) -> Mapping[str, Any]:
        return self._call("GET", "/balance", {})

    def _call(self, method: str, path: str, body: Mapping[str, Any], *,
              creates: bool = False) -> Mapping[str, Any]:
        payload = {"auth": {"username": self._credentials.username,
                            "apikey": self._credentials.api_key,
                            "mode": self._credentials.mode}, **body}
        url = f"{self._base_url}{path}"
        try:
            answer = self._session.request(method, url, json=payload, timeout=self._timeout)
        except requests.ConnectTimeout:
            raise ServiceUnavailable("connect_timeout") from None
        except requests.ConnectionError as error:
            # A read timeout is a ConnectionError subclass in some versions: check it first.
            if isinstance(error, requests.ReadTimeout):
                raise ServiceUnavailable("timeout", uncertain=creates) from None
            raise ServiceUnavailable("unreachable") from None
        except requests.Timeout:
            raise ServiceUnavailable("timeout", uncertain=creates) from None
        status = answer.status_code
        if status >= 500 or status == 429:
            logger.warning("LetterXpress %s %s answered HTTP %s", method, path.split("?")[0], status)
            raise ServiceUnavailable(f"http_{status}", uncertain=creates and status >= 500)
        try:
            document = answer.json()
        except ValueError:
            raise ServiceUnavailable("invalid_answer", uncertain=creates) from None
        if not isinstance(document, Mapping):
            raise ServiceUnavailable("invalid_answer", uncertain=creates)
        inner = document.get("status", status)
        if status == 401 or inner == 401:
            raise ServiceUnavailable("unauthorized")
        if status >= 400 or (isinstance(inner, int) and inner >= 400):
            raise Rejected("rejected", int(inner if isinstance(inner, int) else status))
        data = document.get("data")
        if not isinstance(data, Mapping):
            raise ServiceUnavailable("invalid_answer", uncertain=creates)
        return data

