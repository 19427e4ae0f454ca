"""Rules between a form's fields, declared once as data: the server checks them, the phone is sent them.

A form lists its rules in `rules` and inherits `CrossChecked`; each rule is checked after the
fields' own validators, only on a field that has no error yet, and puts its message on that field.
`webapp/phone_checks.py` turns the same rules into the JSON the phone's checker reads.
"""
from dataclasses import asdict, dataclass

from .clock import CLOCK_SKEW, utcnow


@dataclass(frozen=True, kw_only=True)
class Rule:
    """One rule: its message goes on `field`; with `when`, it applies only if that field's value is in `values`."""

    field: str
    message: str
    when: str | None = None
    values: tuple = ()

    def applies(self, form):
        return self.when is None or form[self.when].data in self.values

    def as_phone(self):
        """Return the rule as JSON data for the phone, named by its kind."""
        return {"rule": self.kind, **{k: list(v) if isinstance(v, (tuple, frozenset, set)) else v
                                      for k, v in asdict(self).items() if v not in (None, ())}}


def _blank(value):
    return not str(value or "").strip()


@dataclass(frozen=True, kw_only=True)
class Required(Rule):
    """The field must hold more than spaces (usually `when` another field has some value)."""

    kind = "required"

    def broken(self, form):
        return _blank(form[self.field].data)


@dataclass(frozen=True, kw_only=True)
class After(Rule):
    """A time must be later than another field's time."""

    start: str
    kind = "after"

    def broken(self, form):
        end, start = form[self.field].data, form[self.start].data
        return end is not None and start is not None and end <= start


@dataclass(frozen=True, kw_only=True)
class NotPast(Rule):
    """A time must still be to come."""

    kind = "not_past"

    def broken(self, form):
        return form[self.field].data is not None and form[self.field].data <= utcnow()


@dataclass(frozen=True, kw_only=True)
class NotFuture(Rule):
    """A time must not be in the future (a phone's clock may run CLOCK_SKEW ahead)."""

    kind = "not_future"

    def broken(self, form):
        return form[self.field].data is not None and form[self.field].data > utcnow() + CLOCK_SKEW


@dataclass(frozen=True, kw_only=True)
class Longest(Rule):
    """A time may be at most `seconds[value of by]` after `start`; the message names `words[...]`."""

    start: str
    by: str
    seconds: dict
    words: dict
    kind = "longest"

    def broken(self, form):
        end, start = form[self.field].data, form[self.start].data
        limit = self.seconds.get(form[self.by].data)
        return None not in (end, start, limit) and (end - start).total_seconds() > limit

    def text(self, form):
        return self.message.format(limit=self.words.get(form[self.by].data, ""))

    def as_phone(self):
        data = super().as_phone()
        data["messages"] = {key: self.message.format(limit=word) for key, word in self.words.items()}
        return data


@dataclass(frozen=True, kw_only=True)
class NotOnly(Rule):
    """Text that is only one of `words` (such as "none") is not enough."""

    words: frozenset
    kind = "not_only"

    def broken(self, form):
        return str(form[self.field].data or "").strip().lower() in self.words

    def as_phone(self):
        data = super().as_phone()
        data["words"] = sorted(self.words)
        return data


class CrossChecked:
    """Mix into a FlaskForm with a `rules` list: validate() checks them after the fields' own checks."""

    rules = ()

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        for rule in self.rules:
            field = self[rule.field]
            if not field.errors and rule.applies(self) and rule.broken(self):
                field.errors = [*field.errors, getattr(rule, "text", lambda _f: rule.message)(self)]
                ok = False
        return ok
