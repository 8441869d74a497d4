"""Text as people type it into public forms: what is kept, what is dropped, what is refused.

Chinese input methods and copying from Word bring characters nobody sees: full-width digits,
no-break and ideographic spaces, Word's manual line break (\\x0b), zero-width and
bidirectional-override characters. They break exports (openpyxl refuses control characters),
disguise file names (an override turns "gpj.exe" around) and make one name look like another.
Forms clean text at the boundary with these functions; models refuse what is left.
"""

import re
import unicodedata

# Line breaks and tabs a single-line answer turns into a space.
_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
_SPACES = re.compile(r"[^\S\n]+")


def _is_invisible(char: str) -> bool:
    """Control (Cc) and format (Cf: zero-width, bidi overrides, BOM, soft hyphen) characters."""
    return unicodedata.category(char) in {"Cc", "Cf"} and char != "\n"


def clean_typed_text(value: str, *, multiline: bool = False) -> str:
    """The text without invisible characters, line breaks kept only where a text may have them,
    runs of spaces made one and the ends trimmed."""
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n")
    if multiline:
        value = re.sub(r"[\r\x0b\x0c\x85\u2028\u2029]", "\n", value)
    else:
        value = _BREAKS.sub(" ", value)
    value = "".join(char for char in value if not _is_invisible(char))
    return _SPACES.sub(" ", value).strip()


def invisible_characters(value: str) -> list[str]:
    """The control and format characters in a text (newlines aside), as U+XXXX, for a message."""
    return sorted({f"U+{ord(char):04X}" for char in value if _is_invisible(char)})


def normalise_number(value: str) -> str:
    """Digits as a Chinese input method may type them: full-width (１３８), with spaces of any
    width or dashes between groups. NFKC turns full-width into ASCII."""
    value = unicodedata.normalize("NFKC", value)
    return re.sub(r"[\s\-‐‑‒–—]", "", value).upper()
