"""Schemathesis hooks for Liaison's API: how to send an NDJSON batch (one generated line)."""

import json

import schemathesis


@schemathesis.serializer("application/x-ndjson")
def ndjson(ctx, value):
    if isinstance(value, bytes):
        return {"data": value}
    return {"data": (json.dumps(value, default=str) + "\n").encode("utf-8")}
