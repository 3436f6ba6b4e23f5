"""What the in-project sandboxes share (the DVCQG portal's, its inbound side's in intake, Zalo's)."""

import json
from typing import Any

from django.http import HttpRequest


def json_object(request: HttpRequest) -> dict[str, Any]:
    """The request's JSON object; {} for an empty body, invalid JSON or JSON that is not an object (the
    sandbox then answers as the real system would to missing fields)."""
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
