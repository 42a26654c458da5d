"""File sizes in words for staff: in KB or MB, but in exact bytes where rounding would hide
the difference ("200,001 bytes; the limit is 200,000 bytes", never "200 KB; ... 200 KB")."""

from __future__ import annotations


def _in(size: int, unit: int) -> tuple[float, str]:
    """``size`` rounded in ``unit`` (MB to a tenth, KB whole, bytes), and in words."""
    if unit == 1_000_000:
        value = round(size / unit, 1)
        return value, f"{value:,.1f}".removesuffix(".0") + " MB"
    if unit == 1_000:
        value = round(size / unit)
        return value, f"{value:,} KB"
    return size, f"{size:,} bytes"


def sizes(size: int, limit: int) -> tuple[str, str]:
    """``size`` and ``limit`` said in the same unit (the limit's: MB, KB or bytes), both in
    exact bytes when rounding would make different numbers look the same."""
    unit = 1_000_000 if limit >= 1_000_000 else 1_000 if limit >= 1_000 else 1
    (value, said), (most, limit_said) = _in(size, unit), _in(limit, unit)
    if value == most and size != limit:
        return _in(size, 1)[1], _in(limit, 1)[1]
    return said, limit_said


def over_limit(size: int, limit: int) -> str:
    """``"5,200 KB; the limit is 200 KB"``, or ``"200,001 bytes; the limit is 200,000
    bytes"`` when rounding would hide the difference."""
    said, most = sizes(size, limit)
    return f"{said}; the limit is {most}"
