"""Reading front matter dates into time-zone-aware datetimes, and formatting them."""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo

_FORMATS = (
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M %z",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M%z",
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
)


def parse_date(value: object, zone: tzinfo) -> datetime:
    """A YAML date value as an aware datetime; a time without offset is in ``zone``.

    Accepts what YAML itself turns into dates, ISO 8601 strings with or without
    an offset, and the common ``2026-01-28 09:30:00 +0100`` form.
    Raises ``ValueError`` with a message fit for the user.
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time())
    elif isinstance(value, str):
        parsed = _parse_string(value.strip())
    else:
        raise ValueError(f"expected a date like 2026-01-28T09:30:00+01:00, not {value!r}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed


def _parse_string(text: str) -> datetime:
    candidate = text[:-1] + "+00:00" if text.endswith("Z") else text
    try:
        return datetime.fromisoformat(candidate)
    except ValueError:
        pass
    for pattern in _FORMATS:
        try:
            return datetime.strptime(candidate, pattern)
        except ValueError:
            continue
    raise ValueError(
        f"cannot read the date {text!r}; write it like 2026-01-28T09:30:00+01:00 "
        "or 2026-01-28 09:30:00 +0100"
    )


def format_date(moment: datetime, pattern: str, zone: tzinfo) -> str:
    """``moment`` in the site's time zone and date format."""
    return moment.astimezone(zone).strftime(pattern)


def w3c(moment: datetime) -> str:
    """W3C datetime with offset, as sitemaps, feeds and ``<time datetime>`` want."""
    return moment.isoformat(timespec="seconds")


def month_key(moment: datetime, zone: tzinfo) -> str:
    """``YYYY-MM`` of ``moment`` in ``zone``: the month a story is filed under in the
    archives, the sitemap parts and the search bundles."""
    local = moment.astimezone(zone)
    return f"{local.year:04d}-{local.month:02d}"
