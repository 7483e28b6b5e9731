from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def durl(context, view_name: str, *args, **kwargs) -> str:
    """``{% url %}`` for district pages: fills ``district_slug`` from the request's district."""
    district = context["request"].district
    return reverse(view_name, args=args, kwargs={"district_slug": district.slug, **kwargs})
