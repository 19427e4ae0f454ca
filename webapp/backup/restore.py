"""Put a verified backup in place of this installation's files, keeping the replaced ones aside."""
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

from . import layout


def set_aside(installation, aside, folder):
    """Move the installation's files that the backup replaces into `aside`; return what was moved.

    A backup without a secret key or config.py (they were set elsewhere) leaves those in place.
    """
    database = installation.database
    moving = [database, database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm"),
              installation.sealing_keys, installation.uploads]
    moving += [path for name, path in ((layout.SECRET_KEY, installation.secret_key),
                                       (layout.CONFIG, installation.config)) if (folder / name).is_file()]
    moved = []
    for path in moving:
        if path.exists():
            aside.mkdir(mode=0o700, parents=True, exist_ok=True)
            shutil.move(str(path), str(aside / path.name))
            moved.append(path.name)
    return moved


def _fsync(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def put_back(folder, installation):
    """Copy a plain backup's parts to where this installation keeps them, flushed to disk."""
    folder = Path(folder)
    installation.database.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(folder / layout.DATABASE, installation.database)
    _fsync(installation.database)
    shutil.copytree(folder / layout.SEALING_KEYS, installation.sealing_keys)
    os.chmod(installation.sealing_keys, 0o700)
    shutil.copytree(folder / layout.UPLOADS, installation.uploads)
    for name, target in ((layout.SECRET_KEY, installation.secret_key), (layout.CONFIG, installation.config)):
        if (folder / name).is_file():
            shutil.copyfile(folder / name, target)
            os.chmod(target, 0o600)


def restore(folder, installation):
    """Replace the installation with the backup; return (folder the old files went to, their names)."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    aside = installation.database.parent / f"replaced-{stamp}"
    moved = set_aside(installation, aside, Path(folder))
    put_back(folder, installation)
    return aside, moved
