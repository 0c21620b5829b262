"""Production log lines are JSON objects with the fields a log collector indexes."""

import json
import logging
import sys

from django.test import RequestFactory

from portal.logging import JsonFormatter


def test_a_log_line_is_one_json_object_with_request_status_and_extras():
    request = RequestFactory().get("/salaries/x/")
    record = logging.makeLogRecord(
        {
            "name": "django.request",
            "levelname": "WARNING",
            "levelno": 30,
            "msg": "Not Found: %s",
            "args": ("/salaries/x/",),
            "request": request,
            "status_code": 404,
            "slice": "back-end/flask",
        }
    )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "WARNING" and entry["logger"] == "django.request"
    assert entry["message"] == "Not Found: /salaries/x/"
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/salaries/x/", 404)
    assert entry["slice"] == "back-end/flask"
    assert entry["time"].endswith("+00:00")


def test_exceptions_are_kept_inside_the_object():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.makeLogRecord(
            {"msg": "failed", "levelname": "ERROR", "exc_info": sys.exc_info()}
        )
    entry = json.loads(JsonFormatter().format(record))
    assert "ValueError: boom" in entry["exception"]
