READING_MODE_COOKIE = "reading_mode"


def reading_mode(request):
    """Large-text, high-contrast mode (适老化) chosen by the reader, kept in a cookie across pages."""
    return {"large_text": request.COOKIES.get(READING_MODE_COOKIE) == "large"}
