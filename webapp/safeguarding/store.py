"""All SQL of the Key details and Whistleblowing pages."""
from ..clock import iso, utcnow

TEXT_KEYS = ("whistleblowing", "complaints")


def texts(db):
    """Return the school's procedures by key ('' where none has been written)."""
    found = {r["key"]: r["body"] for r in db.query("SELECT key, body FROM school_texts")}
    return {key: found.get(key, "") for key in TEXT_KEYS}


def save_texts(db, bodies, by):
    now = iso(utcnow())
    with db.atomic():
        for key in TEXT_KEYS:
            db.execute("INSERT INTO school_texts (key, body, updated_at, updated_by) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT (key) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at, "
                       "updated_by = excluded.updated_by", [key, bodies[key].strip(), now, by])


def holders(db, role):
    """Return the active holders of a role with their title and extension, by name."""
    return list(db.query(
        "SELECT u.id, u.name, coalesce(k.title, '') AS title, coalesce(k.extension, '') AS extension "
        "FROM users u JOIN user_roles r ON r.user_id = u.id LEFT JOIN key_contacts k ON k.user_id = u.id "
        "WHERE r.role = ? AND u.active = 1 ORDER BY u.name, u.id", [role]))


def save_contact(db, user_id, title, extension):
    db.execute("INSERT INTO key_contacts (user_id, title, extension, updated_at) VALUES (?, ?, ?, ?) "
               "ON CONFLICT (user_id) DO UPDATE SET title = excluded.title, extension = excluded.extension, "
               "updated_at = excluded.updated_at", [user_id, title.strip(), extension.strip(), iso(utcnow())])
    db.conn.commit()
