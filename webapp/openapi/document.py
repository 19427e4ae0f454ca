"""The OpenAPI 3.1 description of the JSON API, built from the rules the API itself checks.

The patterns and limits come from the modules that enforce them (`sync/shapes.py`, `audit/offline.py`,
the app's settings), so the description cannot say one thing while the server checks another.
"""
from ..audit import offline
from ..sync import shapes

ERROR_MESSAGES = {
    400: "The request was refused whole: the message says what to change, `errors` names the fields.",
    401: "Nobody is signed in on this browser or phone.",
    403: "The sign-in is unfinished (a second factor or a new password is owed), or this is not allowed "
         "for this person.",
    404: "Nothing is at this address.",
    409: "The key is registered to another account, or was revoked.",
    413: "The body is larger than the server accepts.",
    415: "The body is not sent as application/json.",
    429: "The sender has already had as much kept aside today as the school allows (items or bytes); nothing "
         "in this push was accepted. Try again after `Retry-After` seconds (the school's next day).",
    503: "The server could not finish for reasons of its own; nothing was accepted. Try again after "
         "`Retry-After` seconds.",
}
SECURITY = [{"session": []}]


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema, description, headers=None):
    answer = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        answer["headers"] = headers
    return answer


# A school phone's routes may also answer 429 for asking too often (school_phones/rate.py).
TOO_OFTEN = ("This school phone made too many requests in the last minute; nothing was accepted. Try again after "
             "`Retry-After` seconds.")


def _errors(*statuses, says=None):
    """Return the error answers of these statuses, each a JSON `Error` (`says` words some of them otherwise)."""
    answers = {}
    for status in statuses:
        headers = {"Retry-After": {"schema": {"type": "string", "pattern": "^[0-9]+$"}, "required": True}} \
            if status in (429, 503) else None
        answers[str(status)] = _json(_ref("Error"), (says or {}).get(status, ERROR_MESSAGES[status]), headers)
    return answers


def _body(schema):
    return {"required": True, "content": {"application/json": {"schema": schema}}}


CSRF_HEADER = {"name": "X-CSRFToken", "in": "header", "required": True,
               "description": "The `csrf_token` from `GET /api/session`.", "schema": {"type": "string"}}


def _schemas():
    """Return the named shapes of requests and answers."""
    messages = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}
    return {
        "Error": {"type": "object", "required": ["error", "status"], "properties": {
            "error": {"type": "string", "minLength": 1, "description": "A plain-words message."},
            "status": {"type": "integer"},
            "errors": {**messages, "description": "Messages by field."}}},
        "FieldMessages": messages,
        "PublicKey": {"type": "object", "required": ["kty", "crv", "x", "y"],
                      "description": "An EC P-256 public JWK; a valid point on the curve.",
                      "properties": {"kty": {"const": "EC"}, "crv": {"const": "P-256"},
                                     "x": {"type": "string"}, "y": {"type": "string"}},
                      "not": {"required": ["d"]},
                      "examples": [{"kty": "EC", "crv": "P-256", "x": "cVp5hVc3fNZYxKjJiM5pZyCiomDxlOM_IdmbXMQxNpk",
                                    "y": "NetHOuPdLN_NRmHo-h6jTM5_Hc2xUeOFvkhHbAAxk_M"}]},
        "Waiting": {"type": "object", "required": ["count"], "properties": {
            "count": {"type": "integer", "minimum": 0, "maximum": shapes.MAX_WAITING},
            "oldest": {"description": "The oldest waiting item's time (ISO-8601), its age in seconds, or null.",
                       "anyOf": [{"type": "string", "format": "date-time", "maxLength": 40}, {"const": ""},
                                 {"type": "number", "minimum": 0, "exclusiveMaximum": 10 * 365 * 86400},
                                 {"type": "null"}]}}},
        "PushItem": {"type": "object", "required": ["id"],
                     "description": "Only `id` is checked before anything is stored; any other problem with "
                                    "an item is answered for that item alone, as `quarantined`.",
                     "properties": {"id": {"type": "string", "pattern": shapes.UUID4.pattern},
                                    "kind": {"description": "The kind of item, e.g. concern."},
                                    "created_at": {"description": "ISO-8601 UTC."},
                                    "sealed": {"description": "JWE compact serialization."},
                                    "signed": {"description": "JWS compact serialization."}}},
        "PushResult": {"type": "object", "required": ["id", "status"], "properties": {
            "id": {"type": "string"},
            "status": {"enum": ["stored", "duplicate", "conflict", "quarantined", "returned"]},
            "number": {"type": "integer", "minimum": 1,
                       "description": "For a stored or duplicate concern or device request: the number the "
                                      "school knows it by."},
            "errors": _ref("FieldMessages")}},
        "StaffName": {"type": "object", "required": ["id", "name"], "properties": {
            "id": {"type": "integer"}, "name": {"type": "string"}}},
        "SealingKey": {"type": "object", "required": ["kty", "crv", "x", "y", "kid"],
                       "description": "The school's public key to seal items to, as a JWK with its `kid`."},
        "Change": {"type": "object", "required": ["type", "id", "changed_at"], "properties": {
            "type": {"type": "string"}, "id": {"type": ["integer", "string"]},
            "changed_at": {"type": "string"}, "data": {"type": "object"}, "removed": {"type": "boolean"}}},
        "ReturnedItem": {"type": "object",
                         "required": ["id", "kind", "label", "received_at", "created_at", "errors", "url"],
                         "properties": {"id": {"type": "integer"}, "kind": {"type": "string"},
                                        "label": {"type": "string"}, "received_at": {"type": "string"},
                                        "created_at": {"type": ["string", "null"]},
                                        "errors": _ref("FieldMessages"), "url": {"type": "string"}}},
        "OfflineView": {"type": "object", "required": ["kind", "id", "at"], "properties": {
            "kind": {"enum": sorted(offline.KINDS)}, "id": {"type": "integer", "minimum": 1},
            "at": {"type": "string", "format": "date-time"}}},
    }


def _session():
    user = {"type": "object", "required": ["id", "name", "roles"], "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"}, "roles": {"type": "array", "items": {"type": "string"}}}}
    answer = {"type": "object", "required": ["user", "csrf_token", "sealing_key", "server_time"], "properties": {
        "user": user, "csrf_token": {"type": "string"},
        "sealing_key": _ref("SealingKey"), "server_time": {"type": "string", "format": "date-time"}}}
    return {"get": {"operationId": "session", "summary": "Who is signed in, a CSRF token and the sealing key.",
                    "security": SECURITY,
                    "responses": {"200": _json(answer, "The signed-in person."), **_errors(401, 403)}}}


def _device_keys():
    body = {"type": "object", "required": ["device_id", "public_key"], "properties": {
        "device_id": {"type": "string", "pattern": shapes.DEVICE_ID.pattern}, "public_key": _ref("PublicKey")}}
    answer = {"type": "object", "required": ["kid"], "properties": {"kid": {"type": "string"}}}
    return {"post": {"operationId": "register_device_key", "security": SECURITY, "parameters": [CSRF_HEADER],
                     "summary": "Register the key this person's items from this phone are signed with.",
                     "requestBody": _body(body),
                     "responses": {"200": _json(answer, "The key's id (its JWK thumbprint)."),
                                   **_errors(400, 401, 403, 409, 413, 415)}}}


def _push_shapes(config):
    """Return (body, answer) of a push: the same for a person's phone and for a school phone."""
    body = {"type": "object", "required": ["device_id", "waiting", "items"], "properties": {
        "device_id": {"type": "string", "pattern": shapes.DEVICE_ID.pattern}, "waiting": _ref("Waiting"),
        "items": {"type": "array", "maxItems": int(config["SYNC_MAX_ITEMS_PER_PUSH"]), "items": _ref("PushItem")}}}
    answer = {"type": "object", "required": ["results"],
              "properties": {"results": {"type": "array", "items": _ref("PushResult")}}}
    return body, answer


def _push(config):
    body, answer = _push_shapes(config)
    return {"post": {"operationId": "push", "security": SECURITY, "parameters": [CSRF_HEADER],
                     "summary": "Deliver sealed, signed items; one status per item, answered after the commit.",
                     "requestBody": _body(body),
                     "responses": {"200": _json(answer, "One result per item."),
                                   **_errors(400, 401, 403, 413, 415, 429, 503)}}}


def _pull():
    parameters = [
        {"name": "since", "in": "query", "description": "The cursor of the last pull; none for everything.",
         "schema": {"type": "string"}},
        {"name": "device_id", "in": "query", "description": "This phone's id, to report what waits on it.",
         "schema": {"type": "string", "pattern": shapes.DEVICE_ID.pattern}},
        {"name": "waiting", "in": "query", "description": "How many items wait on this phone (with device_id).",
         "schema": {"type": "integer", "minimum": 0, "maximum": shapes.MAX_WAITING}},
        {"name": "oldest", "in": "query", "description": "The oldest waiting item's time or age in seconds.",
         "schema": {"anyOf": [{"type": "string", "format": "date-time", "maxLength": 40}, {"const": ""},
                              {"type": "string", "pattern": "^[0-9]{1,9}(\\.[0-9]{1,6})?$"}]}}]
    answer = {"type": "object", "required": ["changes", "cursor", "everything"], "properties": {
        "changes": {"type": "array", "items": _ref("Change")}, "cursor": {"type": "string"},
        "everything": {"type": "boolean", "description": "The changes are every record this person may see "
                       "(a first pull, or a cursor the server no longer holds): the phone keeps only these."}}}
    return {"get": {"operationId": "pull", "security": SECURITY, "parameters": parameters,
                    "summary": "Every change this person may see since the cursor, and the next cursor.",
                    "responses": {"200": _json(answer, "The changes."), **_errors(400, 401, 403, 503)}}}


def _returned():
    answer = {"type": "object", "required": ["count", "items"], "properties": {
        "count": {"type": "integer", "minimum": 0}, "items": {"type": "array", "items": _ref("ReturnedItem")}}}
    return {"get": {"operationId": "returned", "security": SECURITY,
                    "summary": "This person's items the server returned for correction.",
                    "responses": {"200": _json(answer, "The returned items."), **_errors(401, 403)}}}


def _offline_views():
    body = {"type": "object", "required": ["views"], "properties": {
        "device_id": {"anyOf": [{"type": "string", "pattern": shapes.DEVICE_ID.pattern}, {"type": "null"}]},
        "views": {"type": "array", "maxItems": offline.MOST, "items": _ref("OfflineView")}}}
    answer = {"type": "object", "required": ["recorded"], "properties": {"recorded": {"type": "integer"}}}
    return {"post": {"operationId": "offline_views", "security": SECURITY, "parameters": [CSRF_HEADER],
                     "summary": "Record in the audit log what this person read on a phone without signal.",
                     "requestBody": _body(body),
                     "responses": {"200": _json(answer, "How many views were recorded."),
                                   **_errors(400, 401, 403, 413, 415)}}}


def _school_phone_list():
    """Return the shape of what an enrolled school phone is given: its label, staff names, sealing key, time."""
    return {"type": "object", "required": ["label", "staff", "sealing_key", "server_time"], "properties": {
        "label": {"type": "string", "description": "How people call the phone, e.g. \"school phone 3\"."},
        "staff": {"type": "array", "items": _ref("StaffName"),
                  "description": "The names a person may pick from to say who they are."},
        "sealing_key": _ref("SealingKey"), "server_time": {"type": "string", "format": "date-time"}}}


def _school_phone_enrol():
    body = {"type": "object", "required": ["school_device_id", "device_id", "public_key"], "properties": {
        "school_device_id": {"type": "integer", "description": "The phone or tablet's entry on the device register."},
        "device_id": {"type": "string", "pattern": shapes.DEVICE_ID.pattern}, "public_key": _ref("PublicKey")}}
    listed = _school_phone_list()
    answer = {**listed, "required": ["kid", *listed["required"]],
              "properties": {"kid": {"type": "string"}, **listed["properties"]}}
    return {"post": {"operationId": "enrol_school_phone", "security": SECURITY, "parameters": [CSRF_HEADER],
                     "summary": "An administrator gives a school phone or tablet on the register this phone's key.",
                     "description": "Only an administrator may (403 otherwise). 404: no such device on the "
                                    "register; 409: not a phone or tablet in use, or a key used before.",
                     "requestBody": _body(body),
                     "responses": {"200": _json(answer, "The key's id, the phone's label and its staff list."),
                                   **_errors(400, 401, 403, 404, 409, 413, 415)}}}


SCHOOL_PHONE_KEY = ("No session: the request is signed by an enrolled school phone's own key. A phone key the "
                    "register does not know, or whose enrolment ended, is answered 403. Each phone may make "
                    "SCHOOL_PHONE_REQUESTS_PER_MINUTE such requests a minute (429 beyond it).")


def _school_phone_staff():
    body = {"type": "object", "required": ["proof"], "properties": {
        "proof": {"type": "string", "description": "A JWS (ES256) by the phone's key over "
                                                   "`{\"purpose\": \"staff-list\", \"at\": <ISO-8601 UTC>}`, "
                                                   "made in the last ten minutes."}}}
    return {"post": {"operationId": "school_phone_staff", "security": [], "description": SCHOOL_PHONE_KEY,
                     "summary": "An enrolled school phone fetches its staff names and the sealing key again.",
                     "requestBody": _body(body),
                     "responses": {"200": _json(_school_phone_list(), "The phone's label and staff list."),
                                   **_errors(400, 403, 413, 415, 429, says={429: TOO_OFTEN})}}}


def _push_from_school_phone(config):
    body, answer = _push_shapes(config)
    return {"post": {"operationId": "push_from_school_phone", "security": [],
                     "description": SCHOOL_PHONE_KEY + " Only concerns come this way; each is signed by the "
                                    "phone's key and names who logged it inside its sealed payload.",
                     "summary": "Deliver concerns logged on an enrolled school phone with nobody signed in.",
                     "requestBody": _body(body),
                     "responses": {"200": _json(answer, "One result per item."),
                                   **_errors(400, 403, 413, 415, 429, 503, says={
                                       429: TOO_OFTEN + " Or: " + ERROR_MESSAGES[429]})}}}


def _itself():
    return {"get": {"operationId": "openapi", "summary": "This description.", "security": [],
                    "responses": {"200": _json({"type": "object"}, "The OpenAPI document.")}}}


def build(config):
    """Return the OpenAPI document of the JSON API for an app with this config."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "School phones sync API", "version": "1",
                 "description": "What phones and pages send to the school's server and what they get back. "
                                "Every error is JSON: `{\"error\": message, \"status\": code, \"errors\"?: "
                                "{field: [message]}}`, never a page or a redirect."},
        "components": {"schemas": _schemas(), "securitySchemes": {
            "session": {"type": "apiKey", "in": "cookie", "name": config.get("SESSION_COOKIE_NAME") or "session",
                        "description": "The session cookie set by signing in on the website."}}},
        "paths": {
            "/api/openapi.json": _itself(),
            "/api/session": _session(),
            "/api/devices/keys": _device_keys(),
            "/api/sync/push": _push(config),
            "/api/sync/pull": _pull(),
            "/api/sync/returned": _returned(),
            "/api/audit/offline-views": _offline_views(),
            "/api/school-phones/enrol": _school_phone_enrol(),
            "/api/school-phones/staff": _school_phone_staff(),
            "/api/sync/push-from-school-phone": _push_from_school_phone(config),
        },
    }
