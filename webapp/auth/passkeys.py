"""Passkeys as a second factor: WebAuthn ceremonies made and checked with the `webauthn` library."""
import hashlib
import hmac
import json

from flask import current_app, request
from webauthn import (generate_authentication_options, generate_registration_options, options_to_json,
                      verify_authentication_response, verify_registration_response)
from webauthn.helpers import (base64url_to_bytes, bytes_to_base64url, parse_authentication_credential_json,
                              parse_client_data_json, parse_registration_credential_json)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (AuthenticatorSelectionCriteria, PublicKeyCredentialDescriptor,
                                      ResidentKeyRequirement, UserVerificationRequirement)

from .. import audit
from . import passkey_store
from .passkey_store import CHALLENGE_MINUTES

audit.register_action("passkey.add", "Added a passkey for two-factor sign-in")
audit.register_action("passkey.remove", "Removed a passkey")

NAME_MAX = 60
# What a garbled answer can raise from the library's parsers (base64, CBOR, JSON, COSE keys).
_UNREADABLE = (WebAuthnException, ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError,
               RecursionError)

NOT_READ = "That passkey answer could not be read. Please try again."
EXPIRED = ("That passkey request has expired or was used already. Please try again: each request works once, "
           "for a few minutes.")
NOT_YOURS = "That passkey is not registered to your account here. Use one you added on your account page."
NOT_VERIFIED = "That passkey answer could not be checked, so it was not accepted. Please try again."
COPIED = ("That passkey's counter went backwards, which happens when a passkey has been copied, so it was not "
          "accepted. Sign in with your authenticator app, and tell an administrator.")
ALREADY = "That passkey is registered already."


class Refused(Exception):
    """A passkey answer that is not accepted; the message says why in plain words."""


def rp_id():
    """Return the relying party's id: PASSKEY_RP_ID, or this request's host name without its port."""
    return current_app.config["PASSKEY_RP_ID"] or request.host.rsplit(":", 1)[0].strip("[]")


def expected_origin():
    return request.host_url.rstrip("/")


def user_handle(user_id):
    """Return a stable handle for a person that does not reveal their account number."""
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, f"passkey-user:{user_id}".encode(), hashlib.sha256).digest()


def _descriptors(db, user_id):
    return [PublicKeyCredentialDescriptor(id=base64url_to_bytes(p["credential_id"]))
            for p in passkey_store.passkeys_of(db, user_id)]


def registration_options(db, user):
    """Return, as JSON text, what the browser needs to make a new passkey for `user` (a users row)."""
    return options_to_json(generate_registration_options(
        rp_id=rp_id(), rp_name=current_app.config["SCHOOL_NAME"], user_name=user["email"],
        user_id=user_handle(user["id"]), user_display_name=user["name"],
        challenge=passkey_store.new_challenge(db, user["id"], "register"),
        timeout=CHALLENGE_MINUTES * 60 * 1000,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED, user_verification=UserVerificationRequirement.PREFERRED),
        exclude_credentials=_descriptors(db, user["id"])))


def sign_in_options(db, user):
    """Return, as JSON text, what the browser needs to answer with one of `user`'s passkeys."""
    return options_to_json(generate_authentication_options(
        rp_id=rp_id(), challenge=passkey_store.new_challenge(db, user["id"], "sign_in"),
        timeout=CHALLENGE_MINUTES * 60 * 1000, allow_credentials=_descriptors(db, user["id"]),
        user_verification=UserVerificationRequirement.PREFERRED))


def _parsed(parse, text):
    """Parse a credential the browser sent, and spend nothing yet; refuse what cannot be read."""
    try:
        credential = parse(text)
        challenge = parse_client_data_json(credential.response.client_data_json).challenge
    except _UNREADABLE:
        raise Refused(NOT_READ) from None
    return credential, challenge


def _spend(db, user_id, purpose, challenge):
    if not passkey_store.spend_challenge(db, user_id, purpose, challenge):
        raise Refused(EXPIRED)


def register(db, user, name, text):
    """Check a new passkey's answer and keep it under `name`, recorded; raise Refused if not accepted."""
    credential, challenge = _parsed(parse_registration_credential_json, text)
    _spend(db, user["id"], "register", challenge)
    try:
        verified = verify_registration_response(credential=credential, expected_challenge=challenge,
                                                expected_rp_id=rp_id(), expected_origin=expected_origin())
    except _UNREADABLE:
        raise Refused(NOT_VERIFIED) from None
    credential_id = bytes_to_base64url(verified.credential_id)
    with db.atomic():
        if passkey_store.by_credential_id(db, credential_id) is not None:
            raise Refused(ALREADY)
        passkey_id = passkey_store.add(db, user["id"], credential_id, verified.credential_public_key,
                                       verified.sign_count, name,
                                       [t.value for t in credential.response.transports or []])
        audit.record(db, user["id"], "passkey.add", f"user:{user['id']}", {"passkey": name})
    return passkey_id


def check_sign_in(db, user, text):
    """Accept one answer from one of `user`'s passkeys, once; raise Refused with the reason if not."""
    credential, challenge = _parsed(parse_authentication_credential_json, text)
    _spend(db, user["id"], "sign_in", challenge)
    row = passkey_store.by_credential_id(db, credential.id)
    if row is None or row["user_id"] != user["id"]:
        raise Refused(NOT_YOURS)
    try:
        # The counter is checked below, after the signature, so that only a signed answer is called copied.
        verified = verify_authentication_response(
            credential=credential, expected_challenge=challenge, expected_rp_id=rp_id(),
            expected_origin=expected_origin(), credential_public_key=row["public_key"],
            credential_current_sign_count=0)
    except _UNREADABLE:
        raise Refused(NOT_VERIFIED) from None
    new, old = verified.new_sign_count, row["sign_count"]
    if (new > 0 or old > 0) and new <= old:
        raise Refused(COPIED)
    if not passkey_store.record_use(db, row["id"], old, new):
        raise Refused(EXPIRED)
    return row


def remove(db, user, passkey_id):
    """Remove one of `user`'s passkeys, recorded; return its name, or None if it is not theirs."""
    row = passkey_store.get(db, passkey_id)
    if row is None or row["user_id"] != user["id"]:
        return None
    with db.atomic():
        passkey_store.remove(db, passkey_id)
        audit.record(db, user["id"], "passkey.remove", f"user:{user['id']}", {"passkey": row["name"]})
    return row["name"]

