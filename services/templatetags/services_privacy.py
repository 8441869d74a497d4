from django import template

from home.personal_data import mask_numbers_in_text

register = template.Library()


@register.filter
def mask_numbers(value: str, masked: bool = True) -> str:
    """Free text (notes, comments) with its phone, identity and other long numbers hidden,
    for staff who have not asked (or may not ask) to see personal data."""
    return mask_numbers_in_text(value) if masked and value else value
