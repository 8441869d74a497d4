"""What an attacker types, as hypothesis strategies: bounded, so the suite stays fast."""

import datetime

from hypothesis import strategies as st

# Control, zero-width and bidirectional characters, markup, formula starts and SQL: the
# probe's favourites, mixed into ordinary Chinese text.
NASTY_PIECES = [
    "\x00", "\x0b", "\x1b", "\u200b", "\u202e", "\ufeff", "<script>alert(1)</script>",
    "\"'><img src=x onerror=alert(1)>", "=cmd|' /C calc'!A0", "@SUM(1)", "'; DROP TABLE x;--",
    "../../etc/passwd", "%s%s%n", "{{ 7*7 }}", "１３８１２３４５６７８", "11010519491231002X",
]  # fmt: skip

hostile_text = st.one_of(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",)),  # HTTP cannot carry surrogates
        max_size=60,
    ),
    st.lists(
        st.one_of(
            st.sampled_from(NASTY_PIECES), st.text("军民鱼水情深双拥之家0123456789", max_size=8)
        ),
        max_size=6,
    ).map("".join),
    # Far longer than any field; drawn as a length so a form with many fields stays within
    # hypothesis's budget for generated data.
    st.integers(min_value=2000, max_value=3000).map(lambda length: "长" * length),
)
hostile_number = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", "0", "-1", "1e309", "NaN", "0x10", "１２３", "١٢٣"]),
)
hostile_date = st.one_of(
    st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)).map(
        lambda day: day.isoformat()
    ),
    st.sampled_from(["2099-01-01", "9999-12-31", "0000-00-00", "2025-02-30", "昨天", "-1"]),
)
hostile_value = st.one_of(hostile_text, hostile_number, hostile_date)
