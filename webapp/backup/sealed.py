"""Encrypt a backup so it can leave the building: to a passphrase or to age recipients (pyrage)."""
import io
import tarfile
from pathlib import Path

import pyrage


class CannotOpen(Exception):
    """The encrypted backup could not be opened with what was given."""


def recipients_from(texts):
    """Read age public keys ("age1..."); raise ValueError naming one that is not a key."""
    found = []
    for text in texts:
        try:
            found.append(pyrage.x25519.Recipient.from_str(text.strip()))
        except pyrage.RecipientError:
            raise ValueError(f"\u2018{text.strip()}\u2019 is not an age public key (they begin age1).") from None
    return found


def identities_from(path):
    """Read the age secret keys in a file (lines beginning AGE-SECRET-KEY-)."""
    lines = [line.strip() for line in Path(path).read_text().splitlines()]
    keys = [line for line in lines if line.startswith("AGE-SECRET-KEY-")]
    try:
        return [pyrage.x25519.Identity.from_str(key) for key in keys]
    except pyrage.IdentityError:
        raise CannotOpen(f"{path} does not hold a usable age secret key.") from None


def seal(plain_folder, target_file, passphrase=None, recipients=()):
    """Write the folder as one tar archive encrypted to the passphrase or the recipients."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=1) as archive:
        for path in sorted(Path(plain_folder).rglob("*")):
            archive.add(path, arcname=str(path.relative_to(plain_folder)), recursive=False)
    data = buffer.getvalue()
    sealed = pyrage.passphrase.encrypt(data, passphrase) if passphrase else pyrage.encrypt(data, list(recipients))
    Path(target_file).write_bytes(sealed)


def unseal(sealed_file, target_folder, passphrase=None, identities=()):
    """Decrypt and unpack an encrypted backup into a folder; raise CannotOpen if it will not open."""
    data = Path(sealed_file).read_bytes()
    try:
        plain = pyrage.passphrase.decrypt(data, passphrase) if passphrase else pyrage.decrypt(data, list(identities))
    except pyrage.DecryptError:
        raise CannotOpen("The backup could not be decrypted: wrong passphrase or key, or the file is damaged.") \
            from None
    with tarfile.open(fileobj=io.BytesIO(plain), mode="r:gz") as archive:
        archive.extractall(target_folder, filter="data")
