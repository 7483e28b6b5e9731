from django.urls import reverse


def district_reverse(district, view_name: str, **kwargs) -> str:
    return reverse(view_name, kwargs={"district_slug": district.slug, **kwargs})
