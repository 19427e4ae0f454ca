"""Read what the app left unread of a phone's request body, so the phone gets to read the answer.

A push refused before its body is read (too big, signed out) is answered at once. If the server
then closes the connection with the rest of the body unread, the kernel resets it and the phone
sees a broken connection instead of the answer: gunicorn drains only 64 KB before closing, and
Werkzeug's development server stops draining after 10 ms without data. This reads (and drops) the
rest, up to a cap, before the answer goes out. A body larger than the cap still gets a reset:
nobody's phone sends one.
"""


class CountingInput:
    """A request body that counts the bytes read from it (whatever reads them)."""

    def __init__(self, stream):
        self.stream = stream
        self.read_so_far = 0
        if hasattr(stream, "readinto"):  # readers look for it (gunicorn's body has none)
            self.readinto = self._readinto

    def read(self, *size):
        data = self.stream.read(*size)
        self.read_so_far += len(data)
        return data

    def readline(self, *size):
        data = self.stream.readline(*size)
        self.read_so_far += len(data)
        return data

    def _readinto(self, buffer):
        count = self.stream.readinto(buffer)
        self.read_so_far += count or 0
        return count

    def __iter__(self):
        return iter(self.readline, b"")

    def __getattr__(self, name):
        return getattr(self.stream, name)


CHUNK = 64 * 1024


class DrainUnreadBody:
    """WSGI middleware: after the app answers a request under `prefix`, read what is left of its body.

    `cap()` says how many bytes a body may have in all for the rest to be read.
    """

    def __init__(self, wsgi_app, prefix, cap):
        self.wsgi_app, self.prefix, self.cap = wsgi_app, prefix, cap

    def __call__(self, environ, start_response):
        if not environ.get("PATH_INFO", "").startswith(self.prefix) or "wsgi.input" not in environ:
            return self.wsgi_app(environ, start_response)
        body = environ["wsgi.input"] = CountingInput(environ["wsgi.input"])
        answer = self.wsgi_app(environ, start_response)
        drain(body, unread_length(environ, body), self.cap())
        return answer


def unread_length(environ, body):
    """Return how many bytes of the body are still unread, or None if only its end will tell."""
    if environ.get("wsgi.input_terminated"):  # the server ends the stream at the body's end
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
    return max(length - body.read_so_far, 0)


def drain(body, left, cap):
    """Read and drop the rest of a body (`left` bytes, or up to its end if None), if the whole is within cap."""
    if left is not None and body.read_so_far + left > cap:
        return
    while left is None or left > 0:
        if body.read_so_far >= cap:
            return
        try:
            data = body.read(CHUNK if left is None else min(CHUNK, left))
        except (OSError, ValueError):  # the phone went away, or the server already closed the stream
            return
        if not data:
            return
        if left is not None:
            left -= len(data)
